package com.example.async;

import io.github.loomresult.annotations.Concurrent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** The same, with LR-W1 suppressed on a method and on the interface. */
public interface AsyncSuppressed {
  @Concurrent
  @SuppressWarnings("loomresult-async-return")
  CompletableFuture<String> fetch(String url);

  /** Suppressed on the nested interface. */
  @SuppressWarnings("loomresult-async-return")
  interface Nested {
    @Concurrent
    Future<Integer> count(String url);
  }
}
