package io.github.loomresult;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registered {@link TaskObserver}s: a copy-on-write array, read once per task start, and the
 * flag that tells the start path whether to look at all.
 */
final class TaskObservers {
  static final TaskObserver[] NONE = {};
  private static final ReentrantLock LOCK = new ReentrantLock();

  /** Whether any observer is registered: the one read a task start pays while none is. */
  static volatile boolean any;

  // Written under LOCK, read without it.
  private static volatile TaskObserver[] current = NONE;

  private TaskObservers() {}

  static TaskObserver.Registration register(TaskObserver observer) {
    if (observer == null) {
      throw new NullPointerException("observer");
    }
    LOCK.lock();
    try {
      TaskObserver[] now = current;
      TaskObserver[] next = Arrays.copyOf(now, now.length + 1);
      next[now.length] = observer;
      current = next;
      any = true;
    } finally {
      LOCK.unlock();
    }
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        unregister(observer);
      }
    };
  }

  private static void unregister(TaskObserver observer) {
    LOCK.lock();
    try {
      TaskObserver[] now = current;
      for (int i = 0; i < now.length; i++) {
        if (now[i] == observer) {
          TaskObserver[] next = new TaskObserver[now.length - 1];
          System.arraycopy(now, 0, next, 0, i);
          System.arraycopy(now, i + 1, next, i, now.length - i - 1);
          current = next.length == 0 ? NONE : next;
          any = next.length != 0;
          return;
        }
      }
    } finally {
      LOCK.unlock();
    }
  }

  /** The observers registered now; an empty array if none. */
  static TaskObserver[] current() {
    return current;
  }

  /** Hands what an observer threw to the current thread's uncaught-exception handler. */
  static void report(Throwable failure) {
    Thread me = Thread.currentThread();
    try {
      me.getUncaughtExceptionHandler().uncaughtException(me, failure);
    } catch (Throwable ignored) { // a failing handler has nowhere else to go; the task goes on
    }
  }
}
