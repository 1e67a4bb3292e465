package io.github.loomresult;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How the library reads the exceptions user code throws, without trusting them: a {@code
 * toString()} or {@code getMessage()} that throws gives a placeholder, a {@code getCause()} that
 * throws ends the walk, and a cyclic or absurdly long cause chain is walked once and only so far.
 * Reporting a failure never depends on code of the failure's own that may throw.
 */
final class Throwables {
  /** How many causes a walk looks at, at most. */
  static final int MAX_CAUSES = 256;

  private Throwables() {}

  /** {@code t.toString()}, or a placeholder naming its class if that throws. */
  static String describe(Throwable t) {
    try {
      return String.valueOf(t);
    } catch (Throwable broken) {
      return t.getClass().getName() + " (its toString() threw " + broken.getClass().getName() + ")";
    }
  }

  /**
   * Whether {@code failure} or one of its causes passes {@code test}: each visited once (by
   * identity), at most {@link #MAX_CAUSES}, stopping where {@code getCause()} throws.
   */
  static boolean causeChainHas(Throwable failure, Predicate<Throwable> test) {
    Map<Throwable, Boolean> seen = null;
    Throwable t = failure;
    for (int i = 0; t != null && i < MAX_CAUSES; i++) {
      if (test.test(t)) {
        return true;
      }
      Throwable cause;
      try {
        cause = t.getCause();
      } catch (Throwable broken) {
        return false;
      }
      if (cause == null || cause == t) {
        return false;
      }
      if (seen == null) {
        seen = new IdentityHashMap<>();
        seen.put(t, Boolean.TRUE);
      }
      if (seen.put(cause, Boolean.TRUE) != null) {
        return false; // a cycle
      }
      t = cause;
    }
    return false;
  }
}
