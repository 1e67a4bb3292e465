package com.example.classfile;

import io.github.loomresult.annotations.Concurrent;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Compiled first, without the processor: its subtypes read @Concurrent from the class file. */
public interface ClassFileBase<T extends Comparable<T>> {
  @Concurrent
  T load(String key) throws IOException;

  @Concurrent
  @Nullable String describe(T value, int depth);

  @Concurrent(suppressException = true, maxAtOnce = 3)
  List<T> range(T from, T to);

  T unannotated(String key);
}
