package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R7: {@link ResultCapture#task()} is the very object given to the library, however the capture was
 * made (plain, built with a name, a timeout, a limiter or suppressed exceptions, a start protocol,
 * a race attempt) and whether or not its nursery carries context to it: before it starts, while it
 * runs and after it ends; its description and verbose form name that object too.
 */
class TaskIdentityTest {
  private static final RequestContext CONTEXT = new RequestContext();

  /** A task whose toString is its identity, so the descriptions can be checked. */
  private static final class Named implements Callable<String>, VoidTask {
    private final String label;
    private final CountDownLatch release;
    final CountDownLatch running = new CountDownLatch(1);

    Named(String label, CountDownLatch release) {
      this.label = label;
      this.release = release;
    }

    @Override
    public String call() throws InterruptedException {
      running.countDown();
      release.await();
      return label;
    }

    @Override
    public void run() throws InterruptedException {
      call();
    }

    @Override
    public String toString() {
      return label;
    }
  }

  private static Nursery.Builder nursery(boolean carriesContext) {
    Nursery.Builder b = Nursery.builder().name("identity");
    return carriesContext ? b.threadContext(CONTEXT) : b;
  }

  /** Every way to start a task in a nursery, each given the task it must report. */
  private static List<BiFunction<Nursery, Named, ResultCapture<?>>> starts() {
    Limiter limiter = Limiter.maxAtOnce(100);
    List<BiFunction<Nursery, Named, ResultCapture<?>>> starts = new ArrayList<>();
    starts.add((n, t) -> n.startSoon((Callable<String>) t));
    starts.add((n, t) -> n.startSoon((VoidTask) t));
    starts.add((n, t) -> ResultCapture.startSoon(n, (Callable<String>) t));
    starts.add((n, t) -> ResultCapture.startSoon(n, (VoidTask) t));
    starts.add((n, t) -> ResultCapture.builder().name("x").startSoon(n, (Callable<String>) t));
    starts.add((n, t) -> ResultCapture.builder().name("x").startSoon(n, (VoidTask) t));
    starts.add((n, t) ->
        ResultCapture.builder().timeout(Duration.ofDays(1)).startSoon(n, (Callable<String>) t));
    starts.add(
        (n, t) -> ResultCapture.builder().timeout(Duration.ofDays(1)).startSoon(n, (VoidTask) t));
    starts.add(
        (n, t) -> ResultCapture.builder().limiter(limiter).startSoon(n, (Callable<String>) t));
    starts.add((n, t) -> ResultCapture.builder().suppressException().startSoon(n, (VoidTask) t));
    return starts;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void everyStartedTaskIsTheObjectGivenBeforeWhileAndAfterItRuns(boolean carriesContext)
      throws Exception {
    List<BiFunction<Nursery, Named, ResultCapture<?>>> starts = starts();
    CountDownLatch release = new CountDownLatch(1);
    List<Named> tasks = new ArrayList<>();
    List<ResultCapture<?>> captures =
        nursery(carriesContext)
            .run(n -> {
              CONTEXT.set("request");
              try {
                List<ResultCapture<?>> started = new ArrayList<>();
                for (int i = 0; i < starts.size(); i++) {
                  Named t = new Named("t" + i, release);
                  tasks.add(t);
                  started.add(starts.get(i).apply(n, t));
                }
                for (int i = 0; i < started.size(); i++) {
                  tasks.get(i).running.await();
                  assertSame(tasks.get(i), started.get(i).task(), "running, start way " + i);
                }
                release.countDown();
                return started;
              } finally {
                CONTEXT.set(null);
              }
            });
    for (int i = 0; i < captures.size(); i++) {
      ResultCapture<?> c = captures.get(i);
      assertTrue(c.isDone());
      assertSame(tasks.get(i), c.task(), "done, start way " + i);
      assertTrue(c.description().endsWith("(t" + i + ")"), c.description());
      assertTrue(c.toVerboseString().endsWith("task=t" + i + "]"), c.toVerboseString());
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aCaptureRunInlineIsItsTaskBeforeAndAfterItRuns(boolean carriesContext) throws Exception {
    CountDownLatch release = new CountDownLatch(0);
    Named callable = new Named("c", release);
    Named voidTask = new Named("v", release);
    ResultCapture<String> plain = ResultCapture.of((Callable<String>) callable);
    ResultCapture<Void> built =
        ResultCapture.builder().name("b").timeout(Duration.ofDays(1)).build((VoidTask) voidTask);
    assertSame(callable, plain.task());
    assertSame(voidTask, built.task());
    nursery(carriesContext)
        .run(n -> {
          CONTEXT.set("request");
          try {
            ResultCapture<?> runner =
                n.startSoon(() -> {
                  plain.run();
                  built.run();
                  return null;
                });
            runner.waitDone();
            return runner.result();
          } finally {
            CONTEXT.set(null);
          }
        });
    assertSame(callable, plain.task());
    assertSame(voidTask, built.task());
    assertEquals("c", plain.result());
    assertEquals("b (v)", built.description());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void bothCapturesOfTheStartProtocolAreTheStartableTask(boolean carriesContext) throws Exception {
    StartableTask<String, String> task =
        status -> {
          status.started("ready");
          return "done";
        };
    StartAndDone<String, String> both =
        nursery(carriesContext).run(n -> ResultCapture.captureStartAndDone(n, task));
    assertSame(task, both.start().task());
    assertSame(task, both.done().task());
    assertEquals("ready", both.start().result());
    assertEquals("done", both.done().result());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  @SuppressWarnings("try") // the registration is only closed
  void aRaceAttemptIsTheTaskGivenToTheRace(boolean carriesContext) throws Exception {
    Callable<String> fails =
        () -> {
          throw new IllegalStateException("lost");
        };
    Callable<String> wins = () -> "won";
    List<Object> seen = new CopyOnWriteArrayList<>();
    try (TaskObserver.Registration ignored =
        TaskObserver.register(
            new TaskObserver() {
              @Override
              public void started(ResultCapture<?> task, Nursery nursery) {
                if (nursery.name().equals("identity-race")) {
                  seen.add(task.task());
                }
              }
            })) {
      for (Duration attemptTimeout : new Duration[] {null, Duration.ofDays(1)}) {
        seen.clear();
        Race<String> race = Race.of(List.of(fails, wins)).name("identity-race").maxInFlight(1);
        Race<String> timed = attemptTimeout == null ? race : race.attemptTimeout(attemptTimeout);
        String won =
            nursery(carriesContext)
                .run(n -> {
                  ResultCapture<String> c = n.startSoon(timed::run);
                  c.waitDone();
                  return c.result();
                });
        assertEquals("won", won);
        assertEquals(List.of(fails, wins), seen);
      }
    }
    assertFalse(seen.isEmpty());
  }
}
