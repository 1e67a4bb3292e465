package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How a race is decided when its ends coincide: successes at the same moment, a failure and a
 * success at the same moment, a success at the moment the race is cancelled from outside, and a
 * success while the next staggered attempt is being started. Each case runs many rounds, so that
 * the interleavings vary; every round's outcome must be one the rules allow.
 */
@Timeout(60)
class RaceDecisionTest {
  private static final int ROUNDS = 200;

  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  /** Blocks until interrupted; counts its start and its end. */
  private static Callable<String> blocker(AtomicInteger started, AtomicInteger ended) {
    return () -> {
      started.incrementAndGet();
      try {
        new CountDownLatch(1).await();
        return "never";
      } finally {
        ended.incrementAndGet();
      }
    };
  }

  @Test
  void successesAtTheSameMomentReturnTheValueOfOneOfThemAndFailNothing() {
    for (int round = 0; round < ROUNDS; round++) {
      int successes = 3;
      CyclicBarrier together = new CyclicBarrier(successes + 1); // the loser runs too
      AtomicReferenceArray<String> returned = new AtomicReferenceArray<>(successes);
      List<Callable<String>> tasks = new ArrayList<>();
      for (int i = 0; i < successes; i++) {
        String value = "attempt-" + i;
        int slot = i;
        tasks.add(() -> {
          together.await();
          returned.set(slot, value);
          return value;
        });
      }
      // A loser that fails on its way out when cancelled: never a failure of the race.
      AtomicBoolean loserThrew = new AtomicBoolean();
      tasks.add(() -> {
        together.await();
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          loserThrew.set(true);
          throw new IllegalStateException("closed while cancelled");
        }
        return "never";
      });
      String winner = Race.of(tasks).run();
      int slot = Integer.parseInt(winner.substring("attempt-".length()));
      assertEquals(winner, returned.get(slot), "round " + round + ": the winner never returned");
      assertTrue(loserThrew.get(), "round " + round + ": the loser was not cancelled");
      assertEquals(false, Thread.currentThread().isInterrupted(), "round " + round);
    }
  }

  @Test
  void aFailureAndASuccessAtTheSameMomentReturnTheSuccess() {
    for (int round = 0; round < ROUNDS; round++) {
      CyclicBarrier together = new CyclicBarrier(2);
      AtomicInteger started = new AtomicInteger();
      AtomicInteger ended = new AtomicInteger();
      // Two in flight: the failure frees a slot, so a third attempt may start after the success.
      List<Callable<String>> tasks =
          List.of(
              () -> {
                together.await();
                throw new IllegalStateException("mirror down");
              },
              () -> {
                together.await();
                return "mirror-b";
              },
              blocker(started, ended),
              blocker(started, ended));
      assertEquals("mirror-b", Race.of(tasks).maxInFlight(2).run(), "round " + round);
      assertEquals(started.get(), ended.get(), "round " + round + ": an attempt outlived the race");
    }
  }

  @Test
  void aSuccessWhileTheNextStaggeredAttemptStartsWinsAndTheLateAttemptIsCancelled() {
    for (int round = 0; round < ROUNDS; round++) {
      CountDownLatch secondStarted = new CountDownLatch(1);
      AtomicInteger attempt = new AtomicInteger();
      AtomicInteger started = new AtomicInteger();
      AtomicInteger ended = new AtomicInteger();
      Callable<String> blocks = blocker(started, ended);
      Callable<String> task =
          () -> {
            int mine = attempt.getAndIncrement();
            if (mine == 0) {
              secondStarted.await(); // succeeds just as the next attempt starts
              return "first";
            }
            if (mine == 1) {
              secondStarted.countDown();
            }
            return blocks.call();
          };
      String value = Race.repeat(4, task).staggered(Duration.ofNanos(1)).run();
      assertEquals("first", value, "round " + round);
      assertEquals(started.get(), ended.get(), "round " + round + ": an attempt outlived the race");
    }
  }

  @Test
  void aSuccessAtTheMomentTheRaceIsCancelledFromOutsideIsTheValueOrTheCancellation() {
    int won = 0;
    int cancelled = 0;
    for (int round = 0; round < ROUNDS; round++) {
      CyclicBarrier together = new CyclicBarrier(2);
      AtomicInteger started = new AtomicInteger();
      AtomicInteger ended = new AtomicInteger();
      AtomicReference<ResultCapture<String>> race = new AtomicReference<>();
      Nursery.runVoid(n -> {
        race.set(
            Race.of(
                    List.<Callable<String>>of(
                        blocker(started, ended),
                        () -> {
                          together.await();
                          return "winner";
                        },
                        blocker(started, ended)))
                .startSoon(n));
        together.await();
        n.cancel();
      });
      ResultCapture<String> handle = race.get();
      assertNotEquals(TaskState.FAILED, handle.state(), "round " + round + ": " + handle);
      if (handle.state() == TaskState.SUCCEEDED) {
        assertEquals("winner", handle.result(), "round " + round);
        won++;
      } else {
        assertInstanceOf(TaskCancelledException.class, handle.exception(), "round " + round);
        cancelled++;
      }
      assertEquals(started.get(), ended.get(), "round " + round + ": an attempt outlived the race");
    }
    assertEquals(ROUNDS, won + cancelled);
  }
}
