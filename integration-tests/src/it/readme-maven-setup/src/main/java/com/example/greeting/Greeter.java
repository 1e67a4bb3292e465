package com.example.greeting;

import io.github.loomresult.annotations.Concurrent;
import java.io.IOException;

/** A plain synchronous service; the processor writes ConcurrentGreeter next to it. */
public interface Greeter {
  @Concurrent
  String greet(String name) throws IOException;
}
