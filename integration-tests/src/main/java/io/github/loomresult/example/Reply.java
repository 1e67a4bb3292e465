package io.github.loomresult.example;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * How {@link ShopServer} answers one request: chosen per request by a {@link ShopServer.Plan}.
 * Besides answers (at once, late, an error status) it injects the faults of a real network: a
 * connection closed without a response, a body cut short, a body trickled slowly, and requests that
 * never end.
 *
 * <pre>{@code
 * server.plan(request -> request.path().endsWith("/SKU-7") ? Reply.fail(503) : Reply.after(Duration.ofMillis(20)));
 * }</pre>
 */
public sealed interface Reply {
  /** Answers at once with the route's body. */
  static Reply ok() {
    return new Respond(Duration.ZERO);
  }

  /** Answers with the route's body after {@code delay}, unless the client goes away first. */
  static Reply after(Duration delay) {
    return new Respond(delay);
  }

  /** Answers at once with the HTTP status {@code status} (4xx or 5xx) and a short message. */
  static Reply fail(int status) {
    return new Fail(status);
  }

  /** Never answers: holds the request until the client goes away or the server closes. */
  static Reply hang() {
    return new Hang(Duration.ofMillis(ShopServer.HEARTBEAT_MILLIS));
  }

  /**
   * Like {@link #hang()}, writing its heartbeat (one space of body, to notice a client that went
   * away) every {@code heartbeat} instead of every {@value ShopServer#HEARTBEAT_MILLIS} ms: cheaper
   * when many requests hang at once, slower to notice.
   */
  static Reply hang(Duration heartbeat) {
    return new Hang(heartbeat);
  }

  /**
   * Never answers, and sends nothing at all (not even the status line) until {@code release} opens;
   * from then on it holds the request as {@link #hang(Duration)} does, so it notices a client that
   * went away. A client waiting for this request waits for the response headers.
   */
  static Reply silentHang(CountDownLatch release, Duration heartbeat) {
    return new SilentHang(release, heartbeat);
  }

  /**
   * Closes the connection without sending a single byte of response: the client sees the connection
   * end where the status line should be.
   */
  static Reply reset() {
    return new Reset();
  }

  /**
   * Sends status 200 with a {@code Content-Length} of the route's whole body, then only the first
   * half of it (at least one byte less than announced), then closes the connection.
   */
  static Reply truncated() {
    return new Truncated();
  }

  /**
   * Answers with the route's body in pieces of {@code chunkBytes}, pausing {@code pause} before
   * each piece (the headers, with the full {@code Content-Length}, are sent first).
   */
  static Reply trickle(int chunkBytes, Duration pause) {
    return new Trickle(chunkBytes, pause);
  }

  /** The route's body, after a delay. */
  record Respond(Duration delay) implements Reply {
    /** Checks the delay. */
    public Respond {
      Objects.requireNonNull(delay, "delay");
    }
  }

  /** An error status. */
  record Fail(int status) implements Reply {
    /** Checks the status. */
    public Fail {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("not an error status: " + status);
      }
    }
  }

  /** No answer at all; a heartbeat every {@code heartbeat}. */
  record Hang(Duration heartbeat) implements Reply {
    /** Checks the heartbeat. */
    public Hang {
      requirePositive(heartbeat, "heartbeat");
    }
  }

  /** No answer and no byte until {@code release} opens; then a {@link Hang}. */
  record SilentHang(CountDownLatch release, Duration heartbeat) implements Reply {
    /** Checks the latch and the heartbeat. */
    public SilentHang {
      Objects.requireNonNull(release, "release");
      requirePositive(heartbeat, "heartbeat");
    }
  }

  /** The connection closed without a response. */
  record Reset() implements Reply {}

  /** Half the body, a {@code Content-Length} of all of it, then the connection closed. */
  record Truncated() implements Reply {}

  /** The body in pieces of {@code chunkBytes}, {@code pause} before each. */
  record Trickle(int chunkBytes, Duration pause) implements Reply {
    /** Checks the piece size and the pause. */
    public Trickle {
      if (chunkBytes < 1) {
        throw new IllegalArgumentException("chunkBytes < 1: " + chunkBytes);
      }
      Objects.requireNonNull(pause, "pause");
      if (pause.isNegative()) {
        throw new IllegalArgumentException("negative pause: " + pause);
      }
    }
  }

  private static void requirePositive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
  }
}
