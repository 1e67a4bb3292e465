package com.example.nullness;

import io.github.loomresult.annotations.Concurrent;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/** JSpecify @Nullable on parameters, returns, type arguments and array components. */
@NullMarked
public interface Directory {
  @Concurrent
  @Nullable String lookup(@Nullable String name);

  @Concurrent
  List<@Nullable String> names(Map<String, @Nullable Integer> filter);

  @Concurrent
  String @Nullable [] split(@Nullable String text, char @Nullable [] separators);

  @Concurrent
  @Nullable String[] parts(List<? extends @Nullable CharSequence> pieces);

  @Concurrent
  <T extends @Nullable Object> T identity(T value);

  @Concurrent
  void put(@Nullable String key, @Nullable Integer value);

  @Concurrent
  int count(@Nullable String... names);
}
