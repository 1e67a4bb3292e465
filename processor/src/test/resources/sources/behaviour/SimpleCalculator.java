package com.example.behaviour;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A small real implementation, compiled with the facade. */
public final class SimpleCalculator implements Calculator {
  /** The events passed to {@link #record}, in the order they arrived. */
  public final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public int square(int x) {
    return x * x;
  }

  @Override
  public String describe(int id, String label) {
    return id + ":" + label;
  }

  @Override
  public void record(String event) {
    events.add(event);
  }

  @Override
  public String find(int id) {
    return "int " + id;
  }

  @Override
  public String find(Object key) {
    return "object " + key;
  }

  @Override
  public String load(String key) throws IOException {
    return "loaded " + key;
  }

  @Override
  public String fragile(String key) throws IOException {
    throw new IOException(key);
  }

  @Override
  public int throttled(int x) {
    return x;
  }
}
