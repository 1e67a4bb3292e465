package com.example.clash;

import io.github.loomresult.annotations.Concurrent;
import java.util.List;

/** Parameter and method names that clash with the facade's members and imported names. */
public interface Clashing {
  @Concurrent
  String nursery(String nursery);

  @Concurrent
  String delegate(String delegate, int inputs);

  @Concurrent
  int calls(List<String> calls, String limiter);

  @Concurrent
  String input(String input);

  @Concurrent
  String call(String call, String toString);

  @Concurrent
  List<String> wrap(String ResultCapture, int List);

  @Concurrent
  String objects(String Objects, String Collection);

  @Concurrent
  int limit(int maxAtOnce);

  @Concurrent
  String of(String name);

  @Concurrent
  String pair(String hashCode, String hashCodeArg);
}
