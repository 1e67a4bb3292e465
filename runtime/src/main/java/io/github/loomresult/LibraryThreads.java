package io.github.loomresult;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Creates the threads the library runs tasks on, and lets its own tests watch them. */
final class LibraryThreads {
  /** Tests install an observer to track every thread the library creates. */
  static volatile @Nullable Consumer<Thread> observer;

  private LibraryThreads() {}

  static Thread newTaskThread(
      @Nullable ThreadFactory factory, String nurseryName, String threadName, Runnable body) {
    Thread thread;
    if (factory == null) {
      thread = Thread.ofVirtual().name(threadName).unstarted(body);
    } else {
      thread = factory.newThread(body);
      if (thread == null) {
        throw new RejectedExecutionException(
            "the thread factory of nursery '" + nurseryName + "' returned null");
      }
    }
    return observed(thread);
  }

  /** Shows a thread the library created to the tests' observer, if any. */
  static Thread observed(Thread thread) {
    Consumer<Thread> watcher = observer;
    if (watcher != null) {
      watcher.accept(thread);
    }
    return thread;
  }
}
