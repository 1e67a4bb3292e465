package com.example.inherit;

import io.github.loomresult.annotations.Concurrent;

/** A second super-interface, annotated on the type. */
@Concurrent
public interface Named {
  String name();
}
