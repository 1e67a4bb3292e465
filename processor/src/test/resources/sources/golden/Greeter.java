package com.example.defaults;

import io.github.loomresult.annotations.Concurrent;

/** Default methods annotated @Concurrent. */
public interface Greeter {
  String name();

  @Concurrent
  default String greet(String who) {
    return "Hello " + who + " from " + name();
  }

  @Concurrent
  default void wave() {}

  @Concurrent
  String plain(int x);
}
