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

  /**
   * What a task runs, for messages: {@code lambda in com.example.Shop} for a lambda, else its
   * {@code toString()}, or its class if that throws.
   */
  static String task(Object task) {
    Class<?> type = task.getClass();
    String className = type.getName();
    int lambda = className.indexOf("$$Lambda");
    if (lambda >= 0) {
      return "lambda in " + className.substring(0, lambda);
    }
    try {
      return String.valueOf(task);
    } catch (RuntimeException | Error broken) {
      return className + " (its toString() threw " + broken.getClass().getName() + ")";
    }
  }
}
