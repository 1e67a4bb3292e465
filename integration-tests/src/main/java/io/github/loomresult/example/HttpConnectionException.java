package io.github.loomresult.example;

import java.io.IOException;
import java.io.Serial;
import java.net.URI;

/**
 * The connection to the shop server broke before the whole response arrived: either before the
 * response began (the server closed the connection without answering, so the request may or may not
 * have been processed) or in the middle of the body. The JDK's exception is the cause.
 *
 * <pre>{@code
 * try {
 *   catalog.lookup("SKU-1");
 * } catch (HttpConnectionException e) {
 *   if (!e.responseStarted()) return retry();
 *   throw e;
 * }
 * }</pre>
 */
public final class HttpConnectionException extends IOException {
  @Serial private static final long serialVersionUID = 1L;

  private final URI uri;
  private final boolean responseStarted;

  /** The connection of a request to {@code uri} broke; {@code cause} is what the client saw. */
  public HttpConnectionException(URI uri, boolean responseStarted, IOException cause) {
    super(
        (responseStarted
                ? "response cut short from "
                : "connection closed without a response from ")
            + uri,
        cause);
    this.uri = uri;
    this.responseStarted = responseStarted;
  }

  /** The request's URI. */
  public URI uri() {
    return uri;
  }

  /** Whether the response's status line and headers had arrived when the connection broke. */
  public boolean responseStarted() {
    return responseStarted;
  }
}
