package com.example.async;

import io.github.loomresult.annotations.Concurrent;
import java.util.concurrent.CompletableFuture;

/** A @Concurrent method that already returns a future: warning LR-W1. */
public interface Async {
  @Concurrent
  CompletableFuture<String> fetch(String url);
}
