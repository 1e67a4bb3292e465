package com.example.legacy;

import io.github.loomresult.annotations.Concurrent;
import java.util.List;
import java.util.Map;

/** An old service interface: deprecated and raw-typed methods, as the user has them. */
public interface Catalog {
  @Concurrent
  @Deprecated
  String title(String id);

  @Concurrent
  @Deprecated(forRemoval = true)
  int price(String id, int quantity);

  @Concurrent
  @SuppressWarnings("rawtypes")
  List tags(Map filter);

  @Concurrent
  String current(String id);
}
