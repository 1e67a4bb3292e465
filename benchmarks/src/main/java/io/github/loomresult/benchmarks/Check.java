package io.github.loomresult.benchmarks;

/** Cheap result checks, so that a broken benchmark fails instead of looking fast. */
final class Check {
  private Check() {}

  /** The sum of {@code 0 .. n-1} times {@code factor}. */
  static long indexSum(int n, long factor) {
    return factor * ((long) n * (n - 1) / 2);
  }

  static long sum(long actual, long expected, String what) {
    if (actual != expected) {
      throw new IllegalStateException(what + ": sum " + actual + ", expected " + expected);
    }
    return actual;
  }

  static void that(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
