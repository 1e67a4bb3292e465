package io.github.loomresult.example;

import java.io.IOException;
import java.io.Serial;
import java.net.URI;

/**
 * The shop server answered with an error status.
 *
 * <pre>{@code
 * try {
 *   catalog.lookup("SKU-1");
 * } catch (HttpStatusException e) {
 *   if (e.status() == 404) return Optional.empty();
 *   throw e;
 * }
 * }</pre>
 */
public final class HttpStatusException extends IOException {
  @Serial private static final long serialVersionUID = 1L;

  private final int status;
  private final URI uri;

  /** An error {@code status} for a request to {@code uri}. */
  public HttpStatusException(int status, URI uri) {
    super("HTTP " + status + " from " + uri);
    this.status = status;
    this.uri = uri;
  }

  /** The request's URI. */
  public URI uri() {
    return uri;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }
}
