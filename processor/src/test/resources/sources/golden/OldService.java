package com.example.legacy;

import io.github.loomresult.annotations.Concurrent;

/** A deprecated interface: its facade is deprecated too. */
@Deprecated
public interface OldService {
  @Concurrent
  String fetch(String key);

  @Concurrent
  int count(String a, String b);
}
