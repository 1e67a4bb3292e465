package io.github.loomresult.example;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ShopServer} answers one request: chosen per request by a {@link ShopServer.Plan}.
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
    return new Hang();
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

  /** No answer at all. */
  record Hang() implements Reply {}
}
