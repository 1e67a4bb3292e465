package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deadline is readable by the code it bounds: {@link Cancellation#deadline()} and {@link
 * Cancellation#timeRemaining()} in bodies, tasks and nested nurseries. Deadlines an hour apart tell
 * the tightest from the others whatever the scheduling.
 */
@Timeout(20)
class DeadlineReadingTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration TOLERANCE = Duration.ofMinutes(1);

  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  private static void assertAbout(Duration expected, Optional<Duration> actual) {
    assertTrue(actual.isPresent(), "no deadline");
    Duration d = actual.get();
    assertTrue(
        d.compareTo(expected) <= 0 && d.compareTo(expected.minus(TOLERANCE)) > 0,
        "expected about " + expected + ", got " + d);
  }

  @Test
  void thereIsNoDeadlineOutsideAnyTaskOrInANurseryWithout() {
    assertEquals(Optional.empty(), Cancellation.deadline());
    assertEquals(Optional.empty(), Cancellation.timeRemaining());
    AtomicReference<Optional<Duration>> inTask = new AtomicReference<>();
    Nursery.runVoid(n -> {
      assertEquals(Optional.empty(), Cancellation.deadline());
      n.startSoon(() -> inTask.set(Cancellation.timeRemaining()));
    });
    assertEquals(Optional.empty(), inTask.get());
  }

  @Test
  void theBodyAndTheTasksOfANurserySeeItsDeadline() {
    AtomicReference<Optional<Duration>> inBody = new AtomicReference<>();
    AtomicReference<Optional<Duration>> inTask = new AtomicReference<>();
    AtomicReference<Optional<Instant>> deadline = new AtomicReference<>();
    Instant before = Instant.now();
    Nursery.builder()
        .timeout(HOUR)
        .runVoid(n -> {
          inBody.set(Cancellation.timeRemaining());
          deadline.set(Cancellation.deadline());
          n.startSoon(() -> inTask.set(Cancellation.timeRemaining()));
        });
    assertAbout(HOUR, inBody.get());
    assertAbout(HOUR, inTask.get());
    Instant at = deadline.get().orElseThrow();
    assertTrue(
        !at.isBefore(before.plus(HOUR).minus(TOLERANCE))
            && at.isBefore(before.plus(HOUR).plus(TOLERANCE)),
        at.toString());
  }

  @Test
  void aNestedNurserySeesTheTightestDeadlineOfTheChain() {
    AtomicReference<Optional<Duration>> innerLooser = new AtomicReference<>();
    AtomicReference<Optional<Duration>> innerTighter = new AtomicReference<>();
    Nursery.builder()
        .timeout(HOUR.multipliedBy(2))
        .runVoid(outer ->
            outer.startSoon(() -> {
              // A looser inner deadline: the outer one applies.
              Nursery.builder()
                  .timeout(HOUR.multipliedBy(5))
                  .runVoid(inner ->
                      inner.startSoon(() -> innerLooser.set(Cancellation.timeRemaining())));
              // A tighter one, two levels down, without a deadline in between: it applies.
              Nursery.runVoid(middle ->
                  middle.startSoon(() ->
                      Nursery.builder()
                          .timeout(HOUR)
                          .runVoid(inner -> innerTighter.set(Cancellation.timeRemaining()))));
            }));
    assertAbout(HOUR.multipliedBy(2), innerLooser.get());
    assertAbout(HOUR, innerTighter.get());
  }

  @Test
  void aPerTaskTimeoutIsTheDeadlineItsCodeSees() {
    AtomicReference<Optional<Duration>> seen = new AtomicReference<>();
    Nursery.builder()
        .timeout(HOUR.multipliedBy(3))
        .runVoid(n ->
            ResultCapture.builder()
                .timeout(HOUR)
                .startSoon(n, () -> seen.set(Cancellation.timeRemaining())));
    assertAbout(HOUR, seen.get());
  }

  @Test
  void theTimeRemainingIsZeroOnceTheDeadlineHasPassed() {
    AtomicReference<Optional<Duration>> afterExpiry = new AtomicReference<>();
    Nursery.builder()
        .timeout(Duration.ofMillis(10))
        .moveOnTimeout()
        .runVoid(n -> {
          try {
            new CountDownLatch(1).await(); // until the deadline cancels the body
          } finally {
            afterExpiry.set(Cancellation.timeRemaining());
          }
        });
    assertEquals(Optional.of(Duration.ZERO), afterExpiry.get());
  }
}
