package io.github.loomresult.example;

import io.github.loomresult.annotations.Concurrent;
import java.io.IOException;
import java.util.function.Function;

/**
 * A generic key-value store; its facade {@code ConcurrentKeyValueStore<K, V>} keeps the type
 * parameters, and the generic method {@code view} keeps its own.
 *
 * <pre>{@code
 * ResultCapture<List<String>> values = ConcurrentKeyValueStore.of(n, store).getAll(keys);
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface KeyValueStore<K, V> {
  /** The value under {@code key}. */
  @Concurrent
  V get(K key) throws IOException, InterruptedException;

  /** The value under {@code key}, seen through {@code view}. */
  @Concurrent
  <T> T view(K key, Function<? super V, ? extends T> view) throws IOException, InterruptedException;
}
