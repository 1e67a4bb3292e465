package com.example.behaviour;

import io.github.loomresult.annotations.Concurrent;
import java.io.IOException;

/** The interface FacadeBehaviourTest compiles with the processor and calls through its facade. */
public interface Calculator {
  @Concurrent
  int square(int x);

  @Concurrent
  String describe(int id, String label);

  @Concurrent
  void record(String event);

  @Concurrent
  String find(int id);

  @Concurrent
  String find(Object key);

  @Concurrent
  String load(String key) throws IOException;

  @Concurrent(suppressException = true)
  String fragile(String key) throws IOException;

  @Concurrent(maxAtOnce = 2)
  int throttled(int x);
}
