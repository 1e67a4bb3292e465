package com.example.shapes;

import io.github.loomresult.annotations.Concurrent;
import java.util.List;

/** void, primitive and array returns. */
public interface Shapes {
  @Concurrent
  void reset();

  @Concurrent
  void resize(int width, int height);

  @Concurrent
  int area(int side);

  @Concurrent
  long volume(long side);

  @Concurrent
  boolean isSquare(double width, double height);

  @Concurrent
  char initial(String name);

  @Concurrent
  byte flags();

  @Concurrent
  int[] sides(String shape);

  @Concurrent
  String[][] grid(int size);

  @Concurrent
  List<String>[] buckets(int count);
}
