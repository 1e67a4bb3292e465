package com.example.legacy;

/** An existing client interface, with no annotation. */
public interface Client {
  String fetch(String key);

  /** Ping, also declared by Health: one method. */
  void ping();
}
