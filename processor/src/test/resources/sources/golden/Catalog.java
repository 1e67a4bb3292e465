package com.example.catalog;

import io.github.loomresult.annotations.Concurrent;
import java.util.List;

/** @Concurrent on the interface: every abstract method, not the static or default ones. */
@Concurrent
public interface Catalog {
  String title(int id);

  List<String> search(String query, int limit);

  void ping();

  default String describe(int id) {
    return "#" + id + " " + title(id);
  }

  static Catalog empty() {
    return null;
  }
}
