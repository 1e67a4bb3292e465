package com.example.storage;

import io.github.loomresult.annotations.Concurrent;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;

/** Checked exceptions: several, a subclass of another, and a generic one. */
public interface Storage {
  @Concurrent
  String read(String path) throws IOException, SQLException;

  @Concurrent
  void write(String path, String text) throws FileNotFoundException, IOException;

  @Concurrent
  int waitFor(long millis) throws InterruptedException, TimeoutException;

  @Concurrent
  <X extends Exception> String attempt(String task, Class<X> failure) throws X;

  @Concurrent
  <X extends IOException> void flush() throws X;

  @Concurrent
  String unchecked(String path) throws IllegalStateException, AssertionError;
}
