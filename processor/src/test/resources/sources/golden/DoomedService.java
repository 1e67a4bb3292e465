package com.example.legacy;

import io.github.loomresult.annotations.Concurrent;

/** An interface deprecated for removal: its facade is too. */
@Deprecated(forRemoval = true)
public interface DoomedService {
  @Concurrent
  String fetch(String key);

  @Concurrent
  <T> T echo(T value);
}
