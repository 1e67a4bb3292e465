package com.example.legacy;

import io.github.loomresult.annotations.Concurrent;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Deprecated and raw-typed methods, as users have them: their facade compiles warning-free. */
public interface Legacy {
  @Concurrent
  @Deprecated
  String old(String key);

  @Concurrent
  @Deprecated(since = "2", forRemoval = true)
  int doomed(int a, int b);

  @Concurrent
  @Deprecated
  <T> T generic(T value);

  @Concurrent
  @SuppressWarnings("rawtypes")
  List raw(Map options);

  @Concurrent
  @SuppressWarnings("rawtypes")
  int rawPair(List a, Set b);

  @Concurrent
  @SuppressWarnings("deprecation")
  String describe(OldService service);

  @Concurrent
  String current(String key);
}
