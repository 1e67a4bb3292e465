package com.example.options;

import io.github.loomresult.annotations.Concurrent;
import java.io.IOException;

/** The annotation's options on methods. */
public interface Tuned {
  @Concurrent(suppressException = true)
  String mayFail(String input) throws IOException;

  @Concurrent(maxAtOnce = 4)
  int slow(int n);

  @Concurrent(suppressException = true, maxAtOnce = 2)
  void both(String a, String b);

  @Concurrent
  String neither(String x);
}
