package com.example.sorter;

import io.github.loomresult.annotations.Concurrent;
import java.util.List;

/** Generic methods: plain, bounded, recursive and intersection bounds. */
public interface Sorter {
  @Concurrent
  <T> List<T> reversed(List<T> items);

  @Concurrent
  <T extends Comparable<? super T>> List<T> sorted(List<T> items);

  @Concurrent
  <T extends Comparable<T>> T max(T first, T second);

  @Concurrent
  <N extends Number & Comparable<N>> N clamp(N value, N low, N high);

  @Concurrent
  <E extends Enum<E>> E parse(Class<E> type, String name);

  @Concurrent
  <K, V extends List<K>> V firstGroup(List<V> groups);
}
