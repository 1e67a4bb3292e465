package com.example.repo;

import io.github.loomresult.annotations.Concurrent;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** A generic interface: a recursive bound on K, none on V. */
public interface Repo<K extends Comparable<K>, V> {
  @Concurrent
  V load(K key) throws IOException;

  @Concurrent
  void save(K key, V value);

  @Concurrent
  List<K> keysBetween(K from, K to);

  @Concurrent
  Map<K, V> snapshot();
}
