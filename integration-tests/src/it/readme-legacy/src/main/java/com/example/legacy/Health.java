package com.example.legacy;

/** Another super-interface with the same ping(). */
public interface Health {
  void ping();
}
