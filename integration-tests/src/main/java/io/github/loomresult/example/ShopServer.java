package io.github.loomresult.example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The example shop's HTTP server: the JDK's {@link HttpServer} on {@code 127.0.0.1} and a free
 * port, one virtual thread per request, and a {@link Plan} that decides per request whether to
 * answer at once, late, with an error, or never, or to inject a fault: close the connection without
 * a response, cut the body short, trickle it (see {@link Reply}). It counts what it sees in {@link
 * #stats()}, with a log of how each request ended.
 *
 * <p>Routes (bodies are plain text, one {@link Product} per line):
 *
 * <ul>
 *   <li>{@code GET /products/{sku}}: the product;
 *   <li>{@code GET /products/by-id/{id}}: the product {@code SKU-{id}};
 *   <li>{@code GET /search?q={query}&limit={n}}: {@code n} products whose SKU starts with the
 *       query;
 *   <li>{@code POST /stock/{sku}?quantity={n}}: {@code ok};
 *   <li>{@code GET /kv/{key}}: {@code value:{key}}.
 * </ul>
 *
 * <p>While it delays or holds an answer, the handler sends the response headers and then one space
 * of body every {@value #HEARTBEAT_MILLIS} ms (or the hang's own heartbeat): a write to a
 * connection the client has closed fails, which is how the server notices a client that went away
 * ({@link ServerStats#abandoned()}). Clients strip the leading spaces. A {@linkplain
 * Reply#silentHang silent hang} writes nothing until the test releases it.
 *
 * <pre>{@code
 * try (ShopServer server = ShopServer.start()) {
 *   server.plan(request -> request.path().endsWith("SKU-13") ? Reply.fail(503) : Reply.ok());
 *   ProductCatalog catalog = new HttpProductCatalog(client, server.baseUri());
 *   ...
 * }
 * }</pre>
 */
public final class ShopServer implements AutoCloseable {
  static final int HEARTBEAT_MILLIS = 5;
  static final int ACCEPT_BACKLOG = 4096;

  static {
    // Heartbeats are one-byte writes: with Nagle's algorithm the answer after them would wait for
    // the client's delayed ACK (some 40 ms). Read once, when the JDK's first HttpServer is made.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // Faults come from the plan only. By default the JDK's server keeps at most 200 idle
    // connections and closes any further one as soon as its answer is written, while the JDK's
    // client may already be sending its next request on it; the client retries a GET once on such
    // a connection, and fails it ("HTTP/1.1 header parser received no bytes") if the retry lands on
    // another one. A fan-out of thousands of calls meets that (fault runs, docs/RELIABILITY.md).
    // For the same reason idle connections stay longer than the client's 30 s keep-alive, so the
    // client is the one that closes them.
    System.setProperty("sun.net.httpserver.maxIdleConnections", "1000000");
    System.setProperty("sun.net.httpserver.idleInterval", "600");
  }

  /** Decides how to answer one request. May block, for handshakes; runs on the request's thread. */
  @FunctionalInterface
  public interface Plan {
    /** How to answer {@code request}. */
    Reply reply(Request request) throws InterruptedException;
  }

  /**
   * One request, as a {@link Plan} sees it.
   *
   * @param method the HTTP method
   * @param path the path, such as {@code /products/SKU-1}
   * @param query the decoded query parameters
   * @param index the request's arrival number on this server, from 0
   */
  public record Request(String method, String path, Map<String, String> query, int index) {}

  private final HttpServer server;
  private final ExecutorService handlers;
  private final ServerStats stats = new ServerStats();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Plan plan = request -> Reply.ok();

  private ShopServer(HttpServer server, ExecutorService handlers) {
    this.server = server;
    this.handlers = handlers;
  }

  /**
   * Binds a new server to {@code 127.0.0.1} on a free port and starts it.
   *
   * @throws IOException if it cannot bind
   */
  public static ShopServer start() throws IOException {
    // Loopback only: the example never listens on another address.
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    // A fan-out of thousands connects at once: with a short accept queue the kernel drops their
    // SYNs, the client retries after 1, 3, 7 s and its 10 s connect timeout fails fine calls.
    // The kernel caps this at net.core.somaxconn (4096 by default).
    HttpServer http = HttpServer.create(address, ACCEPT_BACKLOG);
    ExecutorService handlers =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("shop-server-", 0).factory());
    ShopServer shop = new ShopServer(http, handlers);
    http.createContext("/", shop::handle);
    http.setExecutor(handlers);
    http.start();
    return shop;
  }

  /** Sets how the server answers from now on (by default: at once). */
  public ShopServer plan(Plan plan) {
    this.plan = Objects.requireNonNull(plan, "plan");
    return this;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** Its counters. */
  public ServerStats stats() {
    return stats;
  }

  /**
   * Blocks until {@link #close()} is called, for a task that serves until it is cancelled.
   *
   * @throws InterruptedException when the waiting thread is interrupted (cancelled)
   */
  public void awaitClose() throws InterruptedException {
    closing.await();
  }

  /**
   * Stops the server: held requests end, connections are closed, and every handler thread has ended
   * when this returns.
   */
  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    handlers.shutdownNow();
    boolean interrupted = false;
    while (true) {
      try {
        if (!handlers.awaitTermination(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("handler threads of " + baseUri() + " did not end");
        }
        break;
      } catch (InterruptedException e) {
        interrupted = true; // finish stopping first: no thread may outlive close()
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    Request request =
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            query(exchange.getRequestURI()),
            stats.arrive());
    Answering answering = new Answering();
    Reply reply = null;
    Held end;
    try {
      reply = plan.reply(request);
      end = answer(exchange, request, reply, answering);
    } catch (IOException e) {
      end = Held.CLIENT_GONE; // the client went away while we answered
    } catch (InterruptedException e) {
      end = Held.SERVER_CLOSING;
    } catch (RuntimeException e) {
      end = failed(exchange, answering, e); // a plan that failed: the client sees a 500
    } finally {
      // Without a response (a reset) this closes the connection; after a short body (truncated)
      // the body stream reports the missing bytes to the exchange, which closes the connection.
      exchange.close();
    }
    if (!answering.started) {
      if (end == Held.CLIENT_GONE) {
        stats.abandon();
      } else {
        stats.drop();
      }
    }
    stats.ended(
        new ServerStats.Served(
            request.index(), request.method(), request.path(), reply, end.logged));
    if (end == Held.RESET || end == Held.TRUNCATED) {
      // The connection is closed already; thrown so that the JDK's server forgets it as well.
      throw new IOException("injected " + end.logged + " of request " + request.index());
    }
  }

  private static Held failed(HttpExchange exchange, Answering answering, RuntimeException e) {
    if (answering.started) {
      return Held.ELAPSED;
    }
    answering.begin();
    try {
      send(exchange, 500, "plan failed: " + e + "\n");
    } catch (IOException ignored) {
      // The client is gone as well; the request is counted as answered all the same.
    }
    return Held.ELAPSED;
  }

  /**
   * Counts a request as answered once, just before the answer is written: a client may start its
   * next request as soon as it has the answer, and the server must not count one client's two
   * requests as concurrent, nor see an answer arrive that it has not counted yet.
   */
  private final class Answering {
    private boolean started;

    void begin() {
      if (!started) {
        started = true;
        stats.answer();
      }
    }
  }

  /** Answers as {@code reply} says; {@code ELAPSED} means answered in full. */
  private Held answer(HttpExchange exchange, Request request, Reply reply, Answering answering)
      throws IOException, InterruptedException {
    switch (reply) {
      case Reply.Fail fail -> {
        answering.begin();
        send(exchange, fail.status(), "injected failure " + fail.status() + "\n");
        return Held.ELAPSED;
      }
      case Reply.Hang hang -> {
        exchange.sendResponseHeaders(200, 0);
        return holdFor(exchange.getResponseBody(), FOREVER, hang.heartbeat());
      }
      case Reply.SilentHang hang -> {
        hang.release().await(); // interrupted when the server closes
        exchange.sendResponseHeaders(200, 0);
        return holdFor(exchange.getResponseBody(), FOREVER, hang.heartbeat());
      }
      case Reply.Reset reset -> {
        return Held.RESET; // closing the exchange without a response closes the connection
      }
      case Reply.Truncated truncated -> {
        byte[] body = routeOr404(exchange, request, answering);
        if (body == null) {
          return Held.ELAPSED;
        }
        exchange.sendResponseHeaders(200, body.length);
        OutputStream out = exchange.getResponseBody();
        out.write(body, 0, body.length / 2);
        out.flush();
        return Held.TRUNCATED;
      }
      case Reply.Trickle trickle -> {
        byte[] body = routeOr404(exchange, request, answering);
        if (body == null) {
          return Held.ELAPSED;
        }
        answering.begin();
        exchange.sendResponseHeaders(200, body.length);
        OutputStream out = exchange.getResponseBody();
        for (int at = 0; at < body.length; at += trickle.chunkBytes()) {
          if (closing.await(trickle.pause().toNanos(), TimeUnit.NANOSECONDS)) {
            return Held.SERVER_CLOSING;
          }
          out.write(body, at, Math.min(trickle.chunkBytes(), body.length - at));
          out.flush();
        }
        out.close();
        return Held.ELAPSED;
      }
      case Reply.Respond respond -> {
        byte[] body = routeOr404(exchange, request, answering);
        if (body == null) {
          return Held.ELAPSED;
        }
        if (respond.delay().isZero()) {
          answering.begin();
          send(exchange, 200, body);
          return Held.ELAPSED;
        }
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        Held held =
            holdFor(
                out,
                System.nanoTime() + respond.delay().toNanos(),
                Duration.ofMillis(HEARTBEAT_MILLIS));
        if (held == Held.ELAPSED) {
          answering.begin();
          out.write(body);
          out.close();
        }
        return held;
      }
    }
  }

  /** The route's body; or, if there is no such route, answers 404 and returns {@code null}. */
  private static byte[] routeOr404(HttpExchange exchange, Request request, Answering answering)
      throws IOException {
    String body = route(request);
    if (body == null) {
      answering.begin();
      send(exchange, 404, "no route for " + request.method() + " " + request.path() + "\n");
      return null;
    }
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private enum Held {
    ELAPSED(ServerStats.End.ANSWERED),
    CLIENT_GONE(ServerStats.End.ABANDONED),
    SERVER_CLOSING(ServerStats.End.DROPPED),
    RESET(ServerStats.End.RESET),
    TRUNCATED(ServerStats.End.TRUNCATED);

    final ServerStats.End logged;

    Held(ServerStats.End logged) {
      this.logged = logged;
    }
  }

  private static final long FOREVER = Long.MAX_VALUE;

  /** Holds the answer until {@code untilNanos}, writing heartbeats to notice a client leaving. */
  private Held holdFor(OutputStream out, long untilNanos, Duration heartbeat)
      throws InterruptedException {
    while (true) {
      long left = untilNanos == FOREVER ? FOREVER : untilNanos - System.nanoTime();
      if (left <= 0) {
        return Held.ELAPSED;
      }
      long wait = Math.min(left, heartbeat.toNanos());
      if (closing.await(wait, TimeUnit.NANOSECONDS)) {
        return Held.SERVER_CLOSING;
      }
      try {
        out.write(' ');
        out.flush();
      } catch (IOException e) {
        return Held.CLIENT_GONE;
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The body of a route, or {@code null} if there is no such route. */
  private static String route(Request request) {
    String[] parts = request.path().split("/", -1); // "", "products", "SKU-1"
    String method = request.method();
    if (method.equals("GET") && parts.length == 3 && parts[1].equals("products")) {
      return Product.forSku(parts[2]).toLine() + "\n";
    }
    if (method.equals("GET") && parts.length == 4 && parts[1].equals("products")) {
      return parts[2].equals("by-id") ? Product.forSku("SKU-" + parts[3]).toLine() + "\n" : null;
    }
    if (method.equals("GET") && parts.length == 2 && parts[1].equals("search")) {
      String q = request.query().getOrDefault("q", "");
      int limit = Integer.parseInt(request.query().getOrDefault("limit", "3"));
      return IntStream.rangeClosed(1, limit)
          .mapToObj(i -> Product.forSku(q + "-" + i).toLine() + "\n")
          .collect(Collectors.joining());
    }
    if (method.equals("POST") && parts.length == 3 && parts[1].equals("stock")) {
      return "ok\n";
    }
    if (method.equals("GET") && parts.length == 3 && parts[1].equals("kv")) {
      return "value:" + parts[2] + "\n";
    }
    return null;
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> query = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        query.put(
            URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return Map.copyOf(query);
  }
}
