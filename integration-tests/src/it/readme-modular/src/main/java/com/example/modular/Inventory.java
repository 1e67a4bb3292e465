package com.example.modular;

import io.github.loomresult.annotations.Concurrent;

/** A service of a named module; ConcurrentInventory is generated next to it. */
public interface Inventory {
  @Concurrent
  int stock(String sku);
}
