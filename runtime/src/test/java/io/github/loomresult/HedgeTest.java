package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Staggered starts: hedged requests (one task repeated) and mirrors tried one after the other. A
 * delay of an hour stands for "never": a test that needed it to pass would time out.
 */
@Timeout(20)
class HedgeTest {
  private static final Duration NEVER = Duration.ofHours(1);
  private static final Duration SHORT = Duration.ofMillis(10);

  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  @Test
  void aHedgeStartsWhenTheFirstAttemptHangsPastTheDelayAndWins() {
    AtomicInteger attempts = new AtomicInteger();
    CountDownLatch firstEnded = new CountDownLatch(1);
    String value =
        Race.repeat(
                3,
                () -> {
                  if (attempts.incrementAndGet() == 1) {
                    try {
                      new CountDownLatch(1).await(); // hangs until cancelled
                    } finally {
                      firstEnded.countDown();
                    }
                  }
                  return "hedge";
                })
            .staggered(SHORT)
            .maxInFlight(2)
            .run();
    assertEquals("hedge", value);
    // With two in flight, a third attempt could only start after a failure: there was none.
    assertEquals(2, attempts.get());
    assertEquals(0, firstEnded.getCount(), "the hung attempt was not cancelled and awaited");
  }

  @Test
  void aHedgeWaitsAtLeastTheDelayBeforeItStarts() {
    AtomicLong secondStarted = new AtomicLong();
    AtomicInteger attempts = new AtomicInteger();
    Duration delay = Duration.ofMillis(30);
    long raceStarted = System.nanoTime();
    Race.repeat(
            2,
            () -> {
              if (attempts.incrementAndGet() == 1) {
                new CountDownLatch(1).await();
              }
              // The second increment runs on the second attempt's thread or after it began.
              secondStarted.set(System.nanoTime());
              return "second";
            })
        .staggered(delay)
        .run();
    assertTrue(
        secondStarted.get() - raceStarted >= delay.toNanos(), "the hedge started before its delay");
  }

  @Test
  void aFirstAttemptThatFailsFastStartsTheNextAtOnce() {
    AtomicInteger attempts = new AtomicInteger();
    String value =
        Race.repeat(
                3,
                () -> {
                  if (attempts.incrementAndGet() == 1) {
                    throw new IOException("503");
                  }
                  return "retry";
                })
            .staggered(NEVER)
            .run();
    assertEquals("retry", value);
    assertEquals(2, attempts.get());
  }

  @Test
  void noAttemptStartsAfterTheRaceIsDecided() {
    AtomicInteger attempts = new AtomicInteger();
    // One at a time: attempts 1 and 2 fail, 3 succeeds; 4 and 5 must never start.
    String value =
        Race.repeat(
                5,
                () -> {
                  int attempt = attempts.incrementAndGet();
                  if (attempt < 3) {
                    throw new IOException("attempt " + attempt);
                  }
                  return "attempt " + attempt;
                })
            .maxInFlight(1)
            .run();
    assertEquals("attempt 3", value);
    assertEquals(3, attempts.get());
    // And with an hour's stagger, a first success ends it at one attempt.
    AtomicInteger hedged = new AtomicInteger();
    assertEquals(1, Race.repeat(4, hedged::incrementAndGet).staggered(NEVER).run());
    assertEquals(1, hedged.get());
  }

  @Test
  void mirrorsAreTriedInOrder() {
    CountDownLatch aRunning = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    List<Callable<String>> mirrors =
        List.of(
            () -> {
              order.add("a");
              aRunning.countDown();
              new CountDownLatch(1).await();
              return "a";
            },
            () -> {
              aRunning.await();
              order.add("b");
              throw new IOException("b is down");
            },
            () -> {
              order.add("c");
              return "c";
            });
    assertEquals("c", Race.of(mirrors).staggered(SHORT).run());
    assertEquals(List.of("a", "b", "c"), order);
  }

  @Test
  void anAttemptTimeoutCountsAsThatAttemptsFailure() {
    AtomicInteger attempts = new AtomicInteger();
    String value =
        Race.repeat(
                2,
                () -> {
                  if (attempts.incrementAndGet() == 1) {
                    new CountDownLatch(1).await(); // hangs until its timeout cancels it
                  }
                  return "second";
                })
            .staggered(NEVER)
            .attemptTimeout(Duration.ofMillis(20))
            .run();
    assertEquals("second", value);
  }

  @Test
  void everyHedgeFailingThrowsWithEveryFailure() {
    AtomicInteger attempts = new AtomicInteger();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Race.repeat(
                        3,
                        () -> {
                          throw new IOException("attempt " + attempts.incrementAndGet());
                        })
                    .staggered(NEVER)
                    .run());
    assertEquals(3, e.failures().size());
    assertEquals("attempt 1", assertInstanceOf(IOException.class, e.getCause()).getMessage());
  }
}
