package io.github.loomresult;

/**
 * Text about user objects for diagnostics, built defensively: an exception's {@code getMessage()}
 * is user code and may throw (N15); what it throws is described instead, never propagated.
 */
final class Diagnostics {
  private Diagnostics() {}

  /** {@code failure.getMessage()}, or a description of what went wrong calling it. */
  static String message(Throwable failure) {
    try {
      String message = failure.getMessage();
      return message == null ? "" : message;
    } catch (Throwable t) { // user code: anything may come out, and nothing may escape
      return "<getMessage() threw " + t.getClass().getName() + ">";
    }
  }

  /** The limiter's identity and limits, stable while it runs: {@code Limiter@1b6d[maxAtOnce=8]}. */
  static String limiter(Limiter limiter) {
    return "Limiter@" + Integer.toHexString(System.identityHashCode(limiter)) + limiter.limits();
  }
}
