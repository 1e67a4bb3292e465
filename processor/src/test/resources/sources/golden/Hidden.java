package com.example.hidden;

import io.github.loomresult.annotations.Concurrent;

/** A package-private interface: its facade is package-private too. */
interface Hidden {
  @Concurrent
  String secret(int id);

  @Concurrent
  Detail detail(String key, int depth);

  /** A package-private type in the interface's signatures. */
  record Detail(String key) {}
}
