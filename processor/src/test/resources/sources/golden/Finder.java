package com.example.finder;

import io.github.loomresult.annotations.Concurrent;
import java.util.List;

/**
 * Overloads: each gets a gather method named after its parameter types. {@code find(Object)} also
 * accepts the boxed input of {@code findAllByInt}, which must still call {@code find(int)}.
 */
public interface Finder {
  @Concurrent
  String find(int id);

  @Concurrent
  String find(long id);

  @Concurrent
  String find(String name);

  @Concurrent
  String find(int id, String name);

  @Concurrent
  String find(List<String> path);

  @Concurrent
  String find(Object key);

  @Concurrent
  String find(int[] ids);

  @Concurrent
  List<String> find();

  @Concurrent
  String only(String name);
}
