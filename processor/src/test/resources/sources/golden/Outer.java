package com.example.nested;

import io.github.loomresult.annotations.Concurrent;

/** A class with nested interfaces: the facades are top-level, named after the flat name. */
public class Outer {
  private Outer() {}

  /** A public interface nested in a public class. */
  public interface Inner {
    @Concurrent
    String describe(int id);

    /** Nested twice. */
    interface Deeper {
      @Concurrent
      Inner inner(String name);
    }
  }
}
