package io.github.loomresult;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Creates and names the threads of one nursery's tasks: virtual threads named {@code nursery/task}
 * (one shared {@code String}, so N12 costs nothing per task) or {@code nursery/name} for a named
 * task, or the threads of a user's {@link ThreadFactory}.
 *
 * <p>Every thread created is shown to {@link #observer}, through which the library's tests track
 * that no thread outlives its nursery; a virtual thread cannot be found any other way.
 */
final class TaskThreads {
  /** Sees every task thread the library creates, if set. */
  static volatile @Nullable Consumer<Thread> observer;

  private final Nursery nursery;
  private final String nurseryName;
  private final @Nullable ThreadFactory factory;

  // Made on first use; a race creates two, either will do.
  private volatile @Nullable ThreadFactory unnamed;
  private volatile @Nullable String unnamedName;

  TaskThreads(Nursery nursery, String nurseryName, @Nullable ThreadFactory factory) {
    this.nursery = nursery;
    this.nurseryName = nurseryName;
    this.factory = factory;
  }

  /**
   * Starts the thread of a task that holds its limiter slots, if it has limiters. First waits for
   * the threads that gave up those slots to end, if they still are on their way out, so that a
   * limit of n never has n + 1 live threads. If the thread cannot be created or started, the task
   * ends failed, gives its slots back and is booked as finished; the error is thrown to the caller,
   * or, when nobody waits for this call ({@code failureToNursery}), fails the nursery instead.
   */
  void start(ResultCapture<?> capture, boolean failureToNursery) {
    Admission admission = capture.admission();
    if (admission != null) {
      admission.joinPredecessors();
    }
    try {
      newThread(capture).start();
    } catch (RuntimeException | Error e) {
      try {
        capture.assignThread(null);
        capture.failUnstarted(e);
        if (admission != null) {
          admission.releaseAll();
        }
        if (failureToNursery) {
          nursery.recordFailure(e); // before the task is booked as finished, so join() sees it
        }
      } finally {
        TaskLaunch.finished(nursery, capture); // whatever else failed: the counts stay balanced
      }
      if (!failureToNursery) {
        throw e;
      }
    }
  }

  /**
   * Starts a queued task once its limiters admitted it. If a thread that gave up one of its slots
   * is still alive, the timer thread waits for it and starts the task: the thread dispatching here
   * may be one that gave up a slot itself and is on its way out, and a thread on its way out never
   * waits for another, so no two ending threads wait for each other.
   */
  void startDispatched(ResultCapture<?> capture, Admission admission) {
    if (admission.hasLivePredecessor()) {
      DeadlineTimer.schedule(0, () -> start(capture, true));
      return;
    }
    start(capture, true);
  }

  /**
   * An unstarted thread for {@code capture}. Without a user's factory the capture itself is the
   * thread's {@code Runnable} (no wrapper per task), and the thread is assigned to it; a factory
   * may wrap the {@code Runnable} or run it elsewhere, so it gets one that runs the task in the
   * nursery whatever thread calls it.
   *
   * @throws RejectedExecutionException if the factory returned null
   */
  private Thread newThread(ResultCapture<?> capture) {
    Thread thread;
    if (factory == null) {
      String taskName = capture.explicitName();
      if (taskName == null) {
        thread = unnamedThreads().newThread(capture);
      } else {
        thread = Thread.ofVirtual().name(nurseryName + "/" + taskName).unstarted(capture);
      }
      capture.assignThread(thread);
    } else {
      FactoryRun run = new FactoryRun(capture);
      thread = factory.newThread(run);
      if (thread == null) {
        throw new RejectedExecutionException(
            "the thread factory of nursery '" + nurseryName + "' returned null");
      }
      if (thread.getState() != Thread.State.NEW) {
        // Its Runnable may be running already, and never runs the task: it was not released.
        throw new RejectedExecutionException(
            "the thread factory of nursery '"
                + nurseryName
                + "' returned a thread it had already started");
      }
      run.release();
    }
    Consumer<Thread> watcher = observer;
    if (watcher != null) {
      watcher.accept(thread);
    }
    return thread;
  }

  /**
   * The {@code Runnable} handed to a user's factory: it runs the task in the nursery once, and only
   * after the nursery has accepted the factory's thread and is about to start it. A thread the
   * factory started by itself, or a second call, runs nothing. {@code state}: 0 until {@link
   * #release} (the starting thread, before {@code start()}) sets 1; the first call then takes it to
   * 2 by a CAS and runs the task.
   */
  private static final class FactoryRun implements Runnable {
    private final ResultCapture<?> capture;
    private final AtomicInteger state = new AtomicInteger();

    FactoryRun(ResultCapture<?> capture) {
      this.capture = capture;
    }

    void release() {
      state.set(1);
    }

    @Override
    public void run() {
      if (state.compareAndSet(1, 2)) {
        TaskExecution.runInNursery(capture, false);
      }
    }
  }

  private ThreadFactory unnamedThreads() {
    ThreadFactory f = unnamed;
    if (f == null) {
      f = Thread.ofVirtual().name(unnamedName()).factory();
      unnamed = f;
    }
    return f;
  }

  private String unnamedName() {
    String n = unnamedName;
    if (n == null) {
      n = nurseryName + "/task";
      unnamedName = n;
    }
    return n;
  }
}
