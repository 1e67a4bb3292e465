package io.github.loomresult.example;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A blocking client of {@link ShopServer} on the JDK's {@link HttpClient}: one request per call, an
 * {@link HttpStatusException} for an error status, an {@link HttpConnectionException} for a
 * connection that broke before the whole response arrived. Interrupting the calling thread aborts
 * the request and closes its connection (which the server notices).
 */
final class ShopClient {
  private final HttpClient http;
  private final URI base;

  ShopClient(HttpClient http, URI base) {
    this.http = Objects.requireNonNull(http, "http");
    this.base = Objects.requireNonNull(base, "base");
  }

  /** The body of {@code GET path}, without the server's heartbeat spaces. */
  String get(String pathAndQuery) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET());
  }

  /** The body of {@code POST path} with an empty body. */
  String post(String pathAndQuery) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve(pathAndQuery))
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private String send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
    AtomicBoolean responseStarted = new AtomicBoolean();
    HttpResponse.BodyHandler<String> body =
        info -> {
          responseStarted.set(true);
          return HttpResponse.BodyHandlers.ofString().apply(info);
        };
    HttpResponse<String> response;
    try {
      response = http.send(built, body);
    } catch (HttpTimeoutException e) {
      throw e; // not a broken connection
    } catch (IOException e) {
      throw new HttpConnectionException(built.uri(), responseStarted.get(), e);
    }
    if (response.statusCode() >= 400) {
      throw new HttpStatusException(response.statusCode(), built.uri());
    }
    return response.body().strip();
  }
}
