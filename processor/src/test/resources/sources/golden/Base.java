package com.example.inherit;

import io.github.loomresult.annotations.Concurrent;
import java.util.List;

/** A generic super-interface with @Concurrent methods. */
public interface Base<T> {
  @Concurrent
  T get(String id);

  @Concurrent
  void put(String id, T value);

  @Concurrent
  List<T> all();

  T notConcurrent(String id);
}
