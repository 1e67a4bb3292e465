package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exceptions are data, never control flow: cyclic cause chains, accessors that throw, and {@link
 * Error}s while a task is being started never hang a nursery, never lose the real failure, and
 * leave no task uncounted.
 */
@Timeout(value = 15, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExoticFailureTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  private static RuntimeException cyclic(String name) {
    RuntimeException a = new RuntimeException(name + "-a");
    RuntimeException b = new RuntimeException(name + "-b");
    a.initCause(b);
    b.initCause(a);
    return a;
  }

  /** An exception whose every accessor the library might call throws. */
  private static final class Hostile extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Hostile() {
      super("hostile", null, false, false);
    }

    @Override
    public synchronized Throwable getCause() {
      throw new IllegalStateException("getCause() of a hostile exception");
    }

    @Override
    public String getMessage() {
      throw new IllegalStateException("getMessage() of a hostile exception");
    }

    @Override
    public String toString() {
      throw new IllegalStateException("toString() of a hostile exception");
    }
  }

  private static Object sleepForever() throws InterruptedException {
    Thread.sleep(Duration.ofDays(1));
    return null;
  }

  @Test
  void cyclicCauseChainThrownByTheBodyFailsTheNursery() {
    RuntimeException boom = cyclic("body");
    AtomicReference<ResultCapture<Object>> child = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.run(n -> {
                  child.set(n.startSoon(ExoticFailureTest::sleepForever));
                  throw boom;
                }));
    assertSame(boom, e.getCause());
    assertEquals(TaskState.CANCELLED, child.get().state());
  }

  @Test
  void cyclicCauseChainThrownByACancelledTaskEndsItsHandle() throws Exception {
    RuntimeException boom = cyclic("task");
    CountDownLatch running = new CountDownLatch(1);
    AtomicReference<ResultCapture<Object>> task = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  task.set(
                      n.startSoon(() -> {
                        running.countDown();
                        try {
                          return sleepForever();
                        } catch (InterruptedException cancelled) {
                          throw boom;
                        }
                      }));
                  running.await();
                  n.cancel();
                }));
    assertSame(boom, e.getCause());
    assertEquals(TaskState.FAILED, task.get().state());
  }

  @Test
  void throwingAccessorsInTheBodysExceptionKeepTheFailureAndCancelTheChildren() {
    Hostile hostile = new Hostile();
    AtomicReference<ResultCapture<Object>> child = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.run(n -> {
                  child.set(n.startSoon(ExoticFailureTest::sleepForever));
                  throw hostile;
                }));
    assertSame(hostile, e.getCause());
    assertEquals(TaskState.CANCELLED, child.get().state());
    assertTrue(e.getMessage().contains(Hostile.class.getName()), e.getMessage());
  }

  @Test
  void throwingAccessorsInACancelledTasksExceptionEndItsHandleAndFailTheNursery() {
    Hostile hostile = new Hostile();
    CountDownLatch running = new CountDownLatch(1);
    AtomicReference<ResultCapture<Object>> task = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n -> {
                  task.set(
                      n.startSoon(() -> {
                        running.countDown();
                        try {
                          return sleepForever();
                        } catch (InterruptedException cancelled) {
                          throw hostile;
                        }
                      }));
                  running.await();
                  n.cancel();
                }));
    assertSame(hostile, e.getCause());
    assertSame(hostile, task.get().exception());
  }

  @Test
  void throwingAccessorsDoNotReplaceATasksFailureInItsResult() {
    Hostile hostile = new Hostile();
    ResultCapture<Object> task =
        ResultCapture.builder()
            .suppressException()
            .build(() -> {
              throw hostile;
            });
    task.run();
    TaskFailedException e = assertThrows(TaskFailedException.class, task::result);
    assertSame(hostile, e.getCause());
    assertTrue(e.getMessage().contains(Hostile.class.getName()), e.getMessage());
    assertTrue(task.toString().contains(Hostile.class.getName()), task.toString());
  }

  @Test
  void anErrorFromTheLimitersClockWhileQueueingIsThrownToTheStarterAndLeavesNothingCounted() {
    OutOfMemoryError oom = new OutOfMemoryError("simulated");
    LimiterClock clock =
        new LimiterClock() {
          @Override
          public long nanoTime() {
            return 0; // no token is ever refilled: the second task must queue
          }

          @Override
          public void schedule(long delayNanos, Runnable action) {
            throw oom;
          }
        };
    Limiter limiter = Limiter.builder().maxPerSecond(1, 1).clock(clock).build();
    String value =
        Nursery.builder()
            .limiter(limiter)
            .run(n -> {
              n.startSoon(() -> "first");
              Error thrown =
                  assertThrows(
                      OutOfMemoryError.class,
                      () -> ResultCapture.builder().startSoon(n, () -> "never"));
              assertSame(oom, thrown);
              return "body";
            });
    assertEquals("body", value);
    assertEquals(0, limiter.queued());
  }

  @Test
  void anErrorFromTheThreadFactoryIsThrownToTheStarterAndLeavesNothingCounted() {
    StackOverflowError overflow = new StackOverflowError("simulated");
    ThreadFactory factory =
        r -> {
          throw overflow;
        };
    AtomicReference<ResultCapture<Object>> task = new AtomicReference<>();
    String value =
        Nursery.builder()
            .threadFactory(factory)
            .run(n -> {
              Error thrown =
                  assertThrows(StackOverflowError.class, () -> task.set(n.startSoon(() -> "x")));
              assertSame(overflow, thrown);
              return "body";
            });
    assertEquals("body", value);
  }

  @Test
  void aNullFromTheThreadFactoryForAQueuedTaskFailsTheNursery() {
    AtomicInteger made = new AtomicInteger();
    ThreadFactory factory =
        r -> made.getAndIncrement() == 0 ? Thread.ofVirtual().unstarted(r) : null;
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<ResultCapture<Object>> queued = new AtomicReference<>();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.builder()
                    .threadFactory(factory)
                    .maxAtOnce(1)
                    .runVoid(n -> {
                      n.startSoon(() -> release.await());
                      queued.set(n.startSoon(() -> "queued"));
                      release.countDown();
                    }));
    assertEquals(TaskState.FAILED, queued.get().state());
    assertSame(queued.get().exception(), e.getCause());
  }

  /**
   * Recursion that opens a nursery and starts a task at each level runs out of stack somewhere
   * inside the library's own code. Wherever it strikes, every nursery on the way ends, and the
   * outermost reports the overflow.
   */
  @Test
  void aStackOverflowInsideNestedNurseriesEndsEveryOne() {
    NurseryFailedException thrown =
        assertThrows(
            NurseryFailedException.class,
            () -> Nursery.runVoid(n -> n.startSoon(() -> recurse(0))));
    Throwable innermost = thrown;
    while (innermost instanceof NurseryFailedException nested) {
      innermost = nested.getCause();
    }
    assertInstanceOf(StackOverflowError.class, innermost);
  }

  /**
   * The first failure report of a fresh JVM may come from deep inside such a recursion, near the
   * end of the stack. The report must work there and every time after: no code on the way may be
   * one that the JVM fails for good once it first ran out of stack there (an invokedynamic call
   * site whose bootstrap overflowed, JVMS 5.4.3). Runs in a fresh JVM, where nothing was linked.
   */
  @Test
  @Timeout(60)
  void aStackOverflowInTheFirstReportOfAJvmLeavesLaterReportsWorking() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classPath =
        Path.of(Nursery.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            + File.pathSeparator
            + Path.of(
                OverflowInFreshJvm.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
    Process child =
        new ProcessBuilder(java, "-cp", classPath, OverflowInFreshJvm.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(50, TimeUnit.SECONDS), "the child JVM did not end");
    assertEquals(
        "StackOverflowError StackOverflowError StackOverflowError",
        output
            .lines()
            .filter(l -> l.startsWith("innermost:"))
            .map(l -> l.substring(10))
            .reduce((a, b) -> a + " " + b)
            .orElse(output),
        output);
  }

  /** Three overflowing recursions in one fresh JVM; prints what each one's report holds. */
  static final class OverflowInFreshJvm {
    public static void main(String[] args) {
      for (int i = 0; i < 3; i++) {
        Throwable innermost = null;
        try {
          Nursery.runVoid(n -> n.startSoon(() -> recurse(0)));
        } catch (Throwable t) {
          innermost = t;
          while (innermost instanceof NurseryFailedException nested) {
            innermost = nested.getCause();
          }
        }
        System.out.println(
            "innermost:" + (innermost == null ? "none" : innermost.getClass().getSimpleName()));
      }
    }
  }

  private static int recurse(int depth) {
    Nursery.runVoid(n -> {
      n.startSoon(() -> depth);
      recurse(depth + 1);
    });
    return depth;
  }
}
