package io.github.loomresult;

import static io.github.loomresult.NurseryTrees.make;
import static io.github.loomresult.NurseryTrees.throwIt;

import io.github.loomresult.NurseryTrees.Background;
import io.github.loomresult.NurseryTrees.CancelSibling;
import io.github.loomresult.NurseryTrees.Factory;
import io.github.loomresult.NurseryTrees.Hang;
import io.github.loomresult.NurseryTrees.InterruptOwner;
import io.github.loomresult.NurseryTrees.Kind;
import io.github.loomresult.NurseryTrees.Nested;
import io.github.loomresult.NurseryTrees.Node;
import io.github.loomresult.NurseryTrees.Read;
import io.github.loomresult.NurseryTrees.Shield;
import io.github.loomresult.NurseryTrees.Spawn;
import io.github.loomresult.NurseryTrees.Start;
import io.github.loomresult.NurseryTrees.Swallow;
import io.github.loomresult.NurseryTrees.Task;
import io.github.loomresult.NurseryTrees.Throw;
import io.github.loomresult.NurseryTrees.Value;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Runs a tree of nurseries for real and records in an {@link Exec} per nursery what each task, body
 * and nursery did, for the {@link TreeOracle} to check.
 */
final class TreeRunner {
  private TreeRunner() {}

  /**
   * What one nursery of the tree did in one run. Task threads write their fields before they end;
   * the oracle reads them after the root returned, which the nurseries' joins order after.
   */
  static final class Exec {
    final Node node;
    final ResultCapture<?>[] caps;
    final Object[] values;
    final Throwable[] thrown;
    final @Nullable Exec[] children;
    final Object[] startValues;
    final @Nullable Object[] startResults;
    final boolean[] taskThrew;
    final @Nullable ResultCapture<?>[] spawned;
    final Object[] spawnValues;
    final @Nullable Throwable[] spawnThrown;
    final boolean[] shieldEntered;
    final boolean[] shieldDone;
    final boolean[] shieldBroken;

    /** Task i started on a thread where another task had left a {@code ThreadLocal} value. */
    final boolean[] sawForeignThreadLocal;

    /** What the body's call starting task i threw (a thread factory's failure), or null. */
    final @Nullable Throwable[] startThrew;

    /** A nested nursery's task: its thread's interrupt status after the nested nursery ended. */
    final boolean[] interruptedAfterNested;

    /** What the factory throws when it fails (null when it returns null, or there is none). */
    final @Nullable Throwable factoryThrown;

    final AtomicInteger factoryCalls = new AtomicInteger();
    volatile boolean factoryFailed;

    /** The interrupter of a mid-run interrupt tree is about to interrupt the caller. */
    volatile boolean interruptSent;

    /** What left the body, whatever it was (its own exception, or one it read or got). */
    volatile @Nullable Throwable bodyEscaped;

    volatile @Nullable Nursery nursery;

    /** After the run: whether the nursery ever asked its body to cancel (and so interrupted it). */
    volatile boolean bodyCancelRequested;

    final Object bodyValue = new Object();
    final @Nullable Throwable bodyThrown;
    volatile @Nullable InterruptedException bodyInterrupt;
    volatile @Nullable Boolean sawDeadline;
    volatile @Nullable Thread owner;
    volatile boolean ran;
    volatile boolean returned;
    volatile @Nullable Object returnedValue;
    volatile @Nullable Throwable threw;

    Exec(Node node, String path) {
      this.node = node;
      int k = node.tasks().size();
      caps = new ResultCapture<?>[k];
      values = new Object[k];
      thrown = new Throwable[k];
      children = new Exec[k];
      startValues = new Object[k];
      startResults = new Object[k];
      taskThrew = new boolean[k];
      spawned = new ResultCapture<?>[k];
      spawnValues = new Object[k];
      spawnThrown = new Throwable[k];
      shieldEntered = new boolean[k];
      shieldDone = new boolean[k];
      shieldBroken = new boolean[k];
      sawForeignThreadLocal = new boolean[k];
      startThrew = new Throwable[k];
      interruptedAfterNested = new boolean[k];
      Factory f = node.factory();
      factoryThrown =
          f == null
              ? null
              : switch (f.how()) {
                case THROW_RUNTIME -> make(Kind.UNCHECKED, path + "factory");
                case THROW_ERROR -> make(Kind.ERROR, path + "factory");
                case RETURN_NULL -> null;
              };
      for (int i = 0; i < k; i++) {
        values[i] = new Object();
        startValues[i] = new Object();
        spawnValues[i] = new Object();
        Task t = node.tasks().get(i);
        String where = path + "#" + i;
        switch (t) {
          case Throw th -> thrown[i] = make(th.kind(), where);
          case Nested nested -> children[i] = new Exec(nested.node(), where + "/");
          case Start s -> thrown[i] = make(s.exception(), where);
          case Background b -> thrown[i] = make(b.exception(), where);
          case Spawn sp when sp.child() instanceof Throw th ->
              spawnThrown[i] = make(th.kind(), where + "/spawned");
          default -> {}
        }
      }
      // In the open form the body's exception leaves the block and collects what close() throws.
      boolean suppressible = node.open();
      bodyThrown =
          switch (node.body()) {
            case THROW_CHECKED -> make(Kind.CHECKED, path + "body", suppressible);
            case THROW_UNCHECKED -> make(Kind.UNCHECKED, path + "body", suppressible);
            case THROW_ERROR -> make(Kind.ERROR, path + "body", suppressible);
            default -> null;
          };
    }
  }

  /** Runs the nursery of {@code e} on the current thread, recording what it did. */
  static void run(Exec e) throws Exception {
    e.ran = true;
    e.owner = Thread.currentThread();
    Nursery.Builder builder = Nursery.builder();
    if (e.node.limit() > 0) {
      builder.maxAtOnce(e.node.limit());
    }
    Duration timeout = Duration.ofMillis(e.node.timeoutMillis());
    switch (e.node.deadline()) {
      case NONE -> {}
      case FAIL -> builder.timeout(timeout);
      case MOVE_ON -> builder.timeout(timeout).moveOnTimeout();
      case LONG -> builder.timeout(Duration.ofDays(1));
    }
    if (e.node.factory() != null) {
      builder.threadFactory(factory(e, e.node.factory()));
    }
    try {
      Object v;
      if (e.node.open()) {
        try (Nursery n = builder.open()) {
          v = body(n, e);
          n.join();
        }
      } else {
        v = builder.run(n -> body(n, e));
      }
      e.returnedValue = v;
      e.returned = true;
    } catch (Exception | Error t) {
      e.threw = t;
      throw t;
    } finally {
      Nursery n = e.nursery;
      e.bodyCancelRequested = n != null && n.bodyCancelRequested();
    }
  }

  /** Makes virtual threads, except for the one call that fails as {@code f} says. */
  private static ThreadFactory factory(Exec e, Factory f) {
    return r -> {
      if (e.factoryCalls.getAndIncrement() != f.failAt()) {
        return Thread.ofVirtual().unstarted(r);
      }
      e.factoryFailed = true;
      return switch (f.how()) {
        case THROW_RUNTIME -> throw (RuntimeException) Objects.requireNonNull(e.factoryThrown);
        case THROW_ERROR -> throw (Error) Objects.requireNonNull(e.factoryThrown);
        case RETURN_NULL -> null;
      };
    };
  }

  private static Object body(Nursery n, Exec e) throws Exception {
    e.nursery = n;
    try {
      return bodyActions(n, e);
    } catch (Exception | Error x) {
      e.bodyEscaped = x;
      throw x;
    }
  }

  private static Object bodyActions(Nursery n, Exec e) throws Exception {
    e.sawDeadline = n.deadline() != null;
    List<Task> tasks = e.node.tasks();
    for (int i = 0; i < tasks.size(); i++) {
      if (e.node.factory() == null) {
        startTask(n, e, i);
        continue;
      }
      try {
        startTask(n, e, i);
      } catch (RuntimeException | Error x) {
        e.startThrew[i] = x; // the factory's failure, thrown to the starter
      }
    }
    switch (e.node.body()) {
      case RETURN -> {}
      case CANCEL -> n.cancel();
      case THROW_CHECKED, THROW_UNCHECKED, THROW_ERROR ->
          throwIt(Objects.requireNonNull(e.bodyThrown));
      case HANG -> {
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException ie) {
          e.bodyInterrupt = ie;
          throw ie;
        }
      }
      case READ -> read(n, e, Objects.requireNonNull(e.node.read()));
      case START_CANCELLED ->
          n.start(status -> {
            new CountDownLatch(1).await(); // never signals: start waits until cancelled
            return null;
          });
    }
    return e.bodyValue;
  }

  /**
   * Waits for the task to be done, taking any interrupt on the way and setting the status again
   * afterwards (as code that must have the result does), then reads it and throws what it got.
   */
  private static void read(Nursery n, Exec e, Read read) throws Exception {
    if (read.cancelFirst()) {
      n.cancel();
    }
    ResultCapture<?> c = Objects.requireNonNull(e.caps[read.target()]);
    boolean interrupted = false;
    while (!c.isDone()) {
      try {
        c.waitDone();
      } catch (InterruptedException ie) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    switch (read.how()) {
      case RESULT -> c.result();
      case EXCEPTION_RETHROWN -> {
        Throwable x = c.exception();
        if (x != null) {
          throwIt(x);
        }
      }
      case EXCEPTION_WRAPPED -> {
        Throwable x = c.exception();
        if (x != null) {
          throw new IllegalStateException("read from #" + read.target(), x);
        }
      }
    }
  }

  private static void startTask(Nursery n, Exec e, int i) {
    Task t = e.node.tasks().get(i);
    switch (t) {
      case Start s -> {
        try {
          e.startResults[i] = n.start(startable(e, i, s));
        } catch (RuntimeException x) {
          e.startResults[i] = x;
        }
      }
      case Background b -> e.caps[i] = n.startBackground(background(e, i, b));
      case Throw th when th.suppress() ->
          e.caps[i] = ResultCapture.builder().suppressException().startSoon(n, task(n, e, i));
      default -> e.caps[i] = n.startSoon(task(n, e, i));
    }
  }

  private static StartableTask<Object, Object> startable(Exec e, int i, Start s) {
    Object startValue = e.startValues[i];
    Object value = e.values[i];
    Throwable x = e.thrown[i];
    return status -> {
      switch (s.kind()) {
        case STARTED_VALUE -> status.started(startValue);
        case STARTED_THROW -> {
          status.started(startValue);
          e.taskThrew[i] = true;
          throwIt(x);
        }
        case STARTED_HANG -> {
          status.started(startValue);
          new CountDownLatch(1).await();
        }
        case THROW_BEFORE -> {
          e.taskThrew[i] = true;
          throwIt(x);
        }
        case NO_START -> {}
      }
      return value;
    };
  }

  private static VoidTask background(Exec e, int i, Background b) {
    Throwable x = e.thrown[i];
    return () -> {
      switch (b.kind()) {
        case VALUE -> {}
        case THROW -> throwIt(x);
        case HANG -> new CountDownLatch(1).await();
      }
    };
  }

  private static Callable<Object> hang(boolean sleep, Object value) {
    return () -> {
      if (sleep) {
        Thread.sleep(Duration.ofDays(1));
      } else {
        new CountDownLatch(1).await();
      }
      return value;
    };
  }

  /** Set by every task as it begins: a task that finds it set runs where another task ran. */
  private static final ThreadLocal<Object> TASK_MARK = new ThreadLocal<>();

  private static Callable<Object> task(Nursery n, Exec e, int i) {
    Callable<Object> code = taskCode(n, e, i);
    return () -> {
      if (TASK_MARK.get() != null) {
        e.sawForeignThreadLocal[i] = true;
      }
      TASK_MARK.set(e);
      return code.call();
    };
  }

  private static Callable<Object> taskCode(Nursery n, Exec e, int i) {
    Task t = e.node.tasks().get(i);
    Object value = e.values[i];
    return switch (t) {
      case Value v -> () -> value;
      case Throw th -> {
        Throwable x = e.thrown[i];
        yield () -> throwIt(x);
      }
      case Hang h -> hang(h.sleep(), value);
      case Swallow s ->
          () -> {
            try {
              Thread.sleep(Duration.ofDays(1));
            } catch (InterruptedException swallowed) {
              // swallowed on purpose: the task returns a value anyway
            }
            return value;
          };
      case CancelSibling c ->
          () -> {
            ResultCapture<?> target = e.caps[c.target()];
            if (target != null) { // null: starting it failed (a thread factory's failure)
              target.cancel();
            }
            return value;
          };
      case Nested nested -> {
        Exec child = Objects.requireNonNull(e.children[i]);
        yield () -> {
          try {
            run(child);
          } finally {
            e.interruptedAfterNested[i] = Thread.currentThread().isInterrupted();
          }
          return child.returnedValue;
        };
      }
      case Spawn sp -> {
        Callable<Object> child =
            switch (sp.child()) {
              case Throw th -> {
                Throwable x = Objects.requireNonNull(e.spawnThrown[i]);
                yield () -> throwIt(x);
              }
              case Hang h -> hang(h.sleep(), e.spawnValues[i]);
              default -> {
                Object v = e.spawnValues[i];
                yield () -> v;
              }
            };
        boolean suppress = sp.child() instanceof Throw th && th.suppress();
        yield () -> {
          e.spawned[i] =
              suppress
                  ? ResultCapture.builder().suppressException().startSoon(n, child)
                  : n.startSoon(child);
          return value;
        };
      }
      case Shield sh ->
          () -> {
            Cancellation.shield(() -> {
              e.shieldEntered[i] = true;
              try {
                while (!Cancellation.isCancelled()) {
                  Thread.sleep(Duration.ofMillis(1));
                }
                Thread.sleep(Duration.ofMillis(1)); // must not be interrupted either
                e.shieldDone[i] = true;
              } catch (InterruptedException broken) {
                e.shieldBroken[i] = true;
                throw broken;
              }
              return null;
            });
            new CountDownLatch(1).await(); // the deferred interrupt arrives here
            return value;
          };
      case InterruptOwner o ->
          () -> {
            e.interruptSent = true;
            Objects.requireNonNull(e.owner).interrupt();
            return value;
          };
      case Start s -> throw new IllegalArgumentException("started with start(): " + s);
      case Background b -> throw new IllegalArgumentException("a background task: " + b);
    };
  }
}
