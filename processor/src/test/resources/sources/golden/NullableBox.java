package com.example.nullness;

import io.github.loomresult.annotations.Concurrent;
import java.util.List;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/** Type variables with nullable bounds, on the interface and on a method. */
@NullMarked
public interface NullableBox<T extends @Nullable Object> {
  @Concurrent
  T get(int index);

  @Concurrent
  <U extends @Nullable Comparable<U>> List<U> sorted(List<U> items, T context);
}
