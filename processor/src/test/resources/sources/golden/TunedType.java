package com.example.options;

import io.github.loomresult.annotations.Concurrent;

/** The options on the interface, the defaults of its methods; a method's own annotation wins. */
@Concurrent(suppressException = true, maxAtOnce = 8)
public interface TunedType {
  String fromType(int x);

  @Concurrent(maxAtOnce = 4)
  String own(int x);
}
