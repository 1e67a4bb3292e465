package com.example.inherit;

import io.github.loomresult.annotations.Concurrent;

/** Inherits Base's @Concurrent methods with T = String, and Named's; adds one of its own. */
public interface Sub extends Base<String>, Named {
  @Concurrent
  int size();
}
