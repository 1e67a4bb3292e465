package com.example.classfile;

import io.github.loomresult.annotations.Concurrent;

/** Compiled first: @Concurrent on the type, read from the class file. */
@Concurrent
public interface ClassFileNamed {
  String name();

  String label(int index);
}
