package com.example.joiner;

import io.github.loomresult.annotations.Concurrent;
import java.util.List;

/** Varargs: primitive, reifiable and non-reifiable (generic) ones. */
public interface Joiner {
  @Concurrent
  int sum(int... values);

  @Concurrent
  String join(String separator, String... parts);

  @Concurrent
  @SuppressWarnings("unchecked") // an interface method cannot be @SafeVarargs
  int count(List<String>... lists);

  @Concurrent
  @SuppressWarnings("unchecked")
  <T> List<T> listOf(T... items);

  @Concurrent
  @SuppressWarnings("unchecked")
  <T> List<T> concat(String label, List<? extends T>... parts);
}
