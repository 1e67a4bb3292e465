package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** First success wins: the winner, the losers, every task failing, cancellation from outside. */
@Timeout(20)
class RaceTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  /** A task that blocks until it is cancelled, and counts its end down on {@code ended}. */
  private static Callable<String> loser(CountDownLatch running, CountDownLatch ended) {
    return () -> {
      try {
        running.countDown();
        new CountDownLatch(1).await();
        return "never";
      } finally {
        ended.countDown();
      }
    };
  }

  @Test
  void theFirstSuccessWinsAndTheLosersAreCancelledAndAwaitedBeforeItReturns() {
    CountDownLatch losersRunning = new CountDownLatch(2);
    CountDownLatch losersEnded = new CountDownLatch(2);
    List<Callable<String>> tasks =
        List.of(
            loser(losersRunning, losersEnded),
            () -> {
              losersRunning.await(); // the winner wins only once both losers run
              return "mirror-b";
            },
            loser(losersRunning, losersEnded));
    assertEquals("mirror-b", Results.race(tasks));
    assertEquals(0, losersEnded.getCount(), "a loser was still running when race returned");
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void whichTaskWinsIsDecidedByWhoSucceedsFirst() {
    CountDownLatch neverOpened = new CountDownLatch(1);
    List<Callable<String>> tasks =
        List.of(
            () -> {
              neverOpened.await();
              return "late";
            },
            () -> "early");
    // The second input wins although it was listed later; the first is cancelled while waiting.
    assertEquals("early", Results.race(tasks));
  }

  @Test
  void aFailureDoesNotDecideTheRace() {
    CountDownLatch firstFailed = new CountDownLatch(1);
    IOException refused = new IOException("mirror-a refused");
    List<Callable<String>> tasks =
        List.of(
            () -> {
              firstFailed.countDown();
              throw refused;
            },
            () -> {
              firstFailed.await();
              return "mirror-b";
            });
    assertEquals("mirror-b", Results.race(tasks));
  }

  @Test
  void everyTaskFailingThrowsWithEveryFailureKept() {
    CountDownLatch allRunning = new CountDownLatch(3);
    IOException a = new IOException("a");
    IllegalStateException b = new IllegalStateException("b");
    IOException c = new IOException("c");
    List<Callable<String>> tasks = new ArrayList<>();
    for (Exception failure : List.of(a, b, c)) {
      tasks.add(() -> {
        allRunning.countDown();
        allRunning.await(); // all three run at once
        throw failure;
      });
    }
    NurseryFailedException e =
        assertThrows(NurseryFailedException.class, () -> Race.of(tasks).name("mirrors").run());
    assertEquals(Set.of(a, b, c), Set.copyOf(e.failures()));
    assertEquals(3, e.failures().size());
    assertSame(e.failures().get(0), e.getCause());
    assertEquals(e.failures().subList(1, 3), List.of(e.getSuppressed()));
    assertTrue(e.getMessage().contains("mirrors"), e.getMessage());
  }

  @Test
  void theFailuresAreKeptInTheOrderTheyHappened() {
    IOException a = new IOException("a");
    IllegalStateException b = new IllegalStateException("b");
    IOException c = new IOException("c");
    List<Callable<String>> tasks = new ArrayList<>();
    for (Exception failure : List.of(a, b, c)) {
      tasks.add(() -> {
        throw failure;
      });
    }
    // One at a time: each failure happens before the next task starts.
    NurseryFailedException e =
        assertThrows(NurseryFailedException.class, () -> Race.of(tasks).maxInFlight(1).run());
    assertEquals(List.of(a, b, c), e.failures());
    assertSame(a, e.getCause());
    assertEquals(List.of(b, c), List.of(e.getSuppressed()));
    assertThrows(IOException.class, () -> e.rethrowIf(IOException.class));
  }

  @Test
  void aLoserThatFailsOnItsWayOutDoesNotFailTheRace() {
    CountDownLatch loserRunning = new CountDownLatch(1);
    AtomicBoolean loserThrew = new AtomicBoolean();
    List<Callable<String>> tasks =
        List.of(
            () -> {
              loserRunning.countDown();
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                loserThrew.set(true);
                throw new IllegalStateException("connection reset while closing");
              }
              return "never";
            },
            () -> {
              loserRunning.await();
              return "winner";
            });
    assertEquals("winner", Results.race(tasks));
    assertTrue(loserThrew.get());
  }

  @Test
  void anErrorInATaskFailsTheRaceAtOnce() {
    CountDownLatch otherEnded = new CountDownLatch(1);
    CountDownLatch otherRunning = new CountDownLatch(1);
    AssertionError fatal = new AssertionError("broken");
    List<Callable<String>> tasks =
        List.of(
            loser(otherRunning, otherEnded),
            () -> {
              otherRunning.await();
              throw fatal;
            });
    NurseryFailedException e =
        assertThrows(NurseryFailedException.class, () -> Race.of(tasks).run());
    assertSame(fatal, e.getCause());
    assertEquals(0, otherEnded.getCount());
  }

  @Test
  void aRaceCancelledByItsEnclosingNurseryIsCancelledNotFailed() {
    CountDownLatch running = new CountDownLatch(2);
    CountDownLatch ended = new CountDownLatch(2);
    AtomicReference<ResultCapture<String>> raceTask = new AtomicReference<>();
    Nursery.runVoid(n -> {
      raceTask.set(Race.of(List.of(loser(running, ended), loser(running, ended))).startSoon(n));
      running.await();
      n.cancel();
    });
    assertEquals(TaskState.CANCELLED, raceTask.get().state());
    assertInstanceOf(TaskCancelledException.class, raceTask.get().exception());
    assertEquals(0, ended.getCount());
  }

  @Test
  void aRaceWhoseThreadIsInterruptedThrowsCancellationAndKeepsTheInterrupt() throws Exception {
    CountDownLatch running = new CountDownLatch(2);
    CountDownLatch ended = new CountDownLatch(2);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean interruptKept = new AtomicBoolean();
    Thread racer =
        Thread.ofVirtual()
            .start(() -> {
              try {
                Results.race(List.of(loser(running, ended), loser(running, ended)));
              } catch (Throwable t) {
                thrown.set(t);
              }
              interruptKept.set(Thread.currentThread().isInterrupted());
            });
    running.await();
    racer.interrupt();
    racer.join();
    assertInstanceOf(TaskCancelledException.class, thrown.get());
    assertTrue(interruptKept.get(), "the outside interrupt was swallowed");
    assertEquals(0, ended.getCount());
  }

  @Test
  void aRaceInsideANurseryIsOneTaskWhoseFailurePropagates() {
    IOException down = new IOException("down");
    AtomicReference<ResultCapture<String>> good = new AtomicReference<>();
    Nursery.runVoid(n -> good.set(Race.<String>of(List.of(() -> "ok")).startSoon(n)));
    assertEquals("ok", good.get().result());

    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(n ->
                    Race.<String>of(
                            List.of(() -> {
                              throw down;
                            }))
                        .startSoon(n)));
    // The nursery's failure is the race's, whose cause is the task's.
    assertSame(down, assertInstanceOf(NurseryFailedException.class, e.getCause()).getCause());
    assertThrows(IOException.class, () -> e.rethrowIf(IOException.class));
  }

  @Test
  void raceOverInputsMakesOneCallPerInput() {
    List<String> called = new ArrayList<>();
    CountDownLatch othersCalled = new CountDownLatch(2);
    String winner =
        Results.race(
            List.of("a", "b", "c"),
            host -> {
              synchronized (called) {
                called.add(host);
              }
              if (!host.equals("b")) {
                othersCalled.countDown();
                new CountDownLatch(1).await();
              }
              othersCalled.await();
              return "from " + host;
            });
    assertEquals("from b", winner);
    assertEquals(3, called.size());
  }

  @Test
  void theNullValueOfAWinnerIsReturned() {
    assertEquals(null, Results.race(List.<Callable<String>>of(() -> null)));
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> Results.race(List.of()));
    assertTrue(empty.getMessage().contains("at least one"), empty.getMessage());
    List<Callable<String>> withNull = new ArrayList<>();
    withNull.add(null);
    assertThrows(NullPointerException.class, () -> Race.of(withNull));
    assertThrows(IllegalArgumentException.class, () -> Race.repeat(0, () -> "x"));
    Race<String> race = Race.repeat(2, () -> "x");
    assertThrows(IllegalArgumentException.class, () -> race.maxInFlight(0));
    assertThrows(IllegalArgumentException.class, () -> race.staggered(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> race.attemptTimeout(Duration.ofMillis(-1)));
  }

  @Test
  void aRaceIsImmutable() {
    AtomicInteger calls = new AtomicInteger();
    Race<Integer> base = Race.repeat(1, calls::incrementAndGet);
    Race<Integer> named = base.name("other").maxInFlight(1);
    assertEquals(1, base.run());
    assertEquals(2, named.run());
  }
}
