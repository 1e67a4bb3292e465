package com.example.wrap;

/** An existing client interface, with no annotation: what users wrap. */
public interface Client {
  String get(String key);

  int size();
}
