package com.example.diamond;

import io.github.loomresult.annotations.Concurrent;

/** The same method inherited along two paths is one facade method. */
public interface Diamond {
  /** One side of the diamond. */
  interface A {
    @Concurrent
    void ping();

    @Concurrent
    Object value();
  }

  /** The other side, with a more specific return type for value(). */
  interface B {
    @Concurrent
    void ping();

    @Concurrent
    String value();
  }

  /** ping() once; value() returns String, the type a call on C has. */
  interface C extends A, B {}

  /** get(T), which is get(String) in D. */
  interface G<T> {
    @Concurrent
    String get(T key);
  }

  /** get(String), the same method as G<String>.get(T). */
  interface H {
    @Concurrent
    String get(String key);
  }

  /** One get(String), no clash of its gather methods. */
  interface D extends G<String>, H {}
}
