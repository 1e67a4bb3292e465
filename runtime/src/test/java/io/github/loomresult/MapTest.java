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
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** W5: concurrent map over an iterable, lazily pulled, in input or completion order. */
class MapTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  private static final Duration FOREVER = Duration.ofDays(1);

  @Test
  void mapTasksAreNamedAfterTheirInputIndexAndShareOneThreadName() {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    List<Integer> out =
        Results.map(
            List.of(10, 20, 30),
            x -> {
              ResultCapture<?> me = ResultCapture.current();
              seen.add(Thread.currentThread().getName() + " " + (me == null ? "?" : me.name()));
              return x;
            },
            Limiter.maxAtOnce(2));
    assertEquals(List.of(10, 20, 30), out);
    Collections.sort(seen);
    assertEquals(List.of("map/task input-0", "map/task input-1", "map/task input-2"), seen);
  }

  @Test
  void w5_inputsArePulledLazilyAsSlotsFreeUp() {
    int limit = 2;
    int n = 10;
    List<CountDownLatch> gates = latches(n);
    AtomicInteger finished = new AtomicInteger();
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    int[] finishedWhenPulled = new int[n];
    Iterable<Integer> inputs =
        recording(
            n,
            k -> {
              finishedWhenPulled[k] = finished.get();
              events.add("pull " + k);
            });
    List<Long> delivered = new ArrayList<>();
    gates.get(0).countDown();
    try (Stream<Mapped<Integer, Integer>> results =
        Results.mapStream(
            inputs,
            k -> {
              events.add("start " + k);
              gates.get(k).await();
              finished.incrementAndGet();
              return k;
            },
            MapOrder.INPUT,
            Limiter.maxAtOnce(limit))) {
      results.forEach(m -> {
        delivered.add(m.index());
        if (m.index() + 1 < n) {
          gates.get((int) m.index() + 1).countDown();
        }
      });
    }
    assertEquals(indices(n), delivered);
    for (int k = 0; k < n; k++) {
      // Input k may be pulled once k - limit tasks have finished: `limit` running, one queued.
      assertTrue(
          finishedWhenPulled[k] >= k - limit,
          "input " + k + " pulled after only " + finishedWhenPulled[k] + " finished: " + events);
      assertTrue(events.indexOf("pull " + k) < events.indexOf("start " + k), events::toString);
    }
  }

  @Test
  void w5_aSlotFreedWithoutACompletionOfTheMapStillGetsTheNextInput() throws Exception {
    // Three slots shared with another nursery. The map's input 1 waits in the queue; the other
    // nursery's tasks end: the first hands its slot to input 1, the second frees a slot. No task
    // of the map has completed, yet input 2 must be pulled and started.
    Limiter shared = Limiter.maxAtOnce(3);
    CountDownLatch mapGate = new CountDownLatch(1);
    List<CountDownLatch> started = latches(3);
    AtomicReference<Throwable> mapFailure = new AtomicReference<>();
    Nursery.builder()
        .limiter(shared)
        .runVoid(other -> {
          CountDownLatch firstGate = new CountDownLatch(1);
          CountDownLatch secondGate = new CountDownLatch(1);
          ResultCapture<Void> first = other.startSoon(() -> firstGate.await());
          ResultCapture<Void> second = other.startSoon(() -> secondGate.await());
          Thread consumer =
              Thread.ofVirtual()
                  .start(() -> {
                    try {
                      Results.map(
                          List.of(0, 1, 2),
                          k -> {
                            started.get(k).countDown();
                            if (k < 2) {
                              mapGate.await();
                            }
                            return k;
                          },
                          shared);
                    } catch (Throwable t) {
                      mapFailure.set(t);
                    }
                  });
          try {
            started.get(0).await();
            BlockedThreads.awaitCondition(() -> shared.queued() == 1);
            firstGate.countDown();
            started.get(1).await();
            secondGate.countDown();
            second.waitDone();
            first.waitDone();
            assertTrue(
                started.get(2).await(10, TimeUnit.SECONDS),
                "input 2 was not pulled although a slot is free: " + shared);
          } finally {
            mapGate.countDown();
            consumer.join();
          }
        });
    assertEquals(null, mapFailure.get());
  }

  @Test
  void w5_mapStreamPullsOnlyWhatItNeedsFromAHugeIterable() {
    AtomicInteger pulled = new AtomicInteger();
    Iterable<Integer> inputs = recording(1_000_000, k -> pulled.incrementAndGet());
    List<Integer> firstFive;
    try (Stream<Mapped<Integer, Integer>> results =
        Results.mapStream(
            inputs,
            k -> {
              if (k >= 5) {
                Thread.sleep(FOREVER);
              }
              return k;
            },
            MapOrder.INPUT,
            Limiter.maxAtOnce(4))) {
      firstFive = results.limit(5).map(Mapped::value).toList();
    }
    assertEquals(List.of(0, 1, 2, 3, 4), firstFive);
    // Five finished, at most four running and one waiting for a slot.
    assertTrue(pulled.get() <= 10, "pulled " + pulled.get());
    assertTrue(leaks.peakAliveThreads() <= 4, "threads " + leaks.peakAliveThreads());
  }

  @Test
  void w5_aSlowFirstInputDoesNotStopMapFromFeedingTheFreeSlots() {
    // Input 0 holds one of the two slots until every other input has run through the other one.
    // Their results are finished but cannot be returned before input 0's (input order): they must
    // not count against the limit, or the map stops pulling and input 0 waits for nothing.
    int n = 12;
    CountDownLatch othersDone = new CountDownLatch(n - 1);
    List<Boolean> values =
        Results.map(
            IntStream.range(0, n).boxed().toList(),
            k -> {
              if (k == 0) {
                return othersDone.await(10, TimeUnit.SECONDS);
              }
              othersDone.countDown();
              return true;
            },
            Limiter.maxAtOnce(2));
    assertEquals(Collections.nCopies(n, true), values);
  }

  @Test
  void w5_mapReturnsValuesInInputOrderWhateverTheCompletionOrder() {
    int n = 8;
    List<CountDownLatch> gates = latches(n);
    gates.get(n - 1).countDown();
    List<Integer> values =
        Results.map(
            IntStream.range(0, n).boxed().toList(),
            k -> {
              // Input k finishes only after input k + 1 did: reverse completion order.
              gates.get(k).await();
              if (k > 0) {
                gates.get(k - 1).countDown();
              }
              return k * 10;
            });
    assertEquals(List.of(0, 10, 20, 30, 40, 50, 60, 70), values);
  }

  @Test
  void w5_mapStreamInInputOrderHoldsBackResultsBehindASlowInput() {
    int n = 6;
    List<CountDownLatch> gates = latches(n);
    gates.get(n - 1).countDown();
    List<Long> order;
    try (Stream<Mapped<Integer, Integer>> results =
        Results.mapStream(
            IntStream.range(0, n).boxed().toList(),
            k -> {
              gates.get(k).await();
              if (k > 0) {
                gates.get(k - 1).countDown();
              }
              return k;
            },
            MapOrder.INPUT,
            null)) {
      order = results.map(Mapped::index).toList();
    }
    assertEquals(indices(n), order);
  }

  @Test
  void w5_mapStreamInCompletionOrderDeliversInTheOrderTasksFinish() {
    int[] completion = {3, 0, 5, 1, 4, 2};
    List<CountDownLatch> gates = latches(completion.length);
    List<Long> order = new ArrayList<>();
    gates.get(completion[0]).countDown();
    try (Stream<Mapped<Integer, Integer>> results =
        Results.mapStream(
            IntStream.range(0, completion.length).boxed().toList(),
            k -> {
              gates.get(k).await();
              return k;
            },
            MapOrder.COMPLETION,
            null)) {
      results.forEach(m -> {
        order.add(m.index());
        // Only after this result arrived may the next task finish.
        if (order.size() < completion.length) {
          gates.get(completion[order.size()]).countDown();
        }
      });
    }
    assertEquals(List.of(3L, 0L, 5L, 1L, 4L, 2L), order);
  }

  @Test
  void w5_eachResultCarriesItsIndexAndInput() {
    List<Mapped<String, Integer>> results;
    try (Stream<Mapped<String, Integer>> stream =
        Results.mapStream(List.of("a", "bb", "ccc"), String::length, MapOrder.INPUT, null)) {
      results = stream.toList();
    }
    assertEquals(
        List.of(
            new Mapped<>(0, "a", Outcome.success(1)),
            new Mapped<>(1, "bb", Outcome.success(2)),
            new Mapped<>(2, "ccc", Outcome.success(3))),
        results);
  }

  @Test
  void w5_mapStreamDeliversTaskFailuresAsOutcomesAndKeepsGoing() {
    IOException boom = new IOException("boom");
    List<Mapped<Integer, Integer>> results;
    try (Stream<Mapped<Integer, Integer>> stream =
        Results.mapStream(
            List.of(0, 1, 2, 3),
            k -> {
              if (k == 1) {
                throw boom;
              }
              return k;
            },
            MapOrder.INPUT,
            Limiter.maxAtOnce(1))) {
      results = stream.toList();
    }
    assertEquals(4, results.size());
    Mapped<Integer, Integer> failed = results.get(1);
    assertEquals(1, failed.input());
    assertSame(boom, assertInstanceOf(Outcome.Failure.class, failed.outcome()).exception());
    TaskFailedException e = assertThrows(TaskFailedException.class, failed::value);
    assertSame(boom, e.getCause());
    assertEquals(0, results.get(0).value());
    assertEquals(2, results.get(2).value());
    assertEquals(3, results.get(3).value());
  }

  @Test
  void w5_mapFailsFastWithTheOriginalExceptionAndCancelsTheRest() {
    IllegalStateException boom = new IllegalStateException("boom");
    CountDownLatch othersRunning = new CountDownLatch(4);
    AtomicInteger interrupted = new AtomicInteger();
    NurseryFailedException e =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Results.map(
                    List.of(0, 1, 2, 3, 4),
                    k -> {
                      if (k == 3) {
                        othersRunning.await();
                        throw boom;
                      }
                      othersRunning.countDown();
                      try {
                        Thread.sleep(FOREVER);
                      } catch (InterruptedException ie) {
                        interrupted.incrementAndGet();
                        throw ie;
                      }
                      return k;
                    }));
    assertSame(boom, e.getCause());
    assertEquals(List.of(boom), e.failures());
    assertEquals(4, interrupted.get());
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void w5_earlyExitFromMapStreamCancelsTheRestAndReturns() {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger interrupted = new AtomicInteger();
    AtomicInteger pulled = new AtomicInteger();
    Mapped<Integer, String> first;
    try (Stream<Mapped<Integer, String>> results =
        Results.mapStream(
            recording(1000, k -> pulled.incrementAndGet()),
            k -> {
              started.incrementAndGet();
              if (k == 2) {
                return "fast";
              }
              try {
                Thread.sleep(FOREVER);
              } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
              }
              return "slow";
            },
            MapOrder.COMPLETION,
            Limiter.maxAtOnce(4))) {
      first = results.findFirst().orElseThrow();
    }
    assertEquals(new Mapped<>(2, 2, Outcome.success("fast")), first);
    assertEquals(started.get() - 1, interrupted.get(), "every other task that ran was cancelled");
    assertTrue(pulled.get() <= 6, "pulled " + pulled.get());
    assertTrue(leaks.peakAliveThreads() <= 4, "threads " + leaks.peakAliveThreads());
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void w5_earlyExitFromAnUnlimitedMapStreamCancelsEveryOtherTask() {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger interrupted = new AtomicInteger();
    try (Stream<Mapped<Integer, Integer>> results =
        Results.mapStream(
            IntStream.range(0, 50).boxed().toList(),
            k -> {
              if (k != 17) {
                started.incrementAndGet();
                try {
                  Thread.sleep(FOREVER);
                } catch (InterruptedException e) {
                  interrupted.incrementAndGet();
                  throw e;
                }
              }
              return k;
            },
            MapOrder.COMPLETION,
            null)) {
      assertEquals(17, results.findFirst().orElseThrow().value());
    }
    assertEquals(started.get(), interrupted.get(), "every other task that began was interrupted");
    assertEquals(50, leaks.createdCount());
  }

  @Test
  void w5_consumerThrowingInsideTheStreamCancelsTheRestAndPropagates() {
    IllegalStateException stop = new IllegalStateException("consumer gives up");
    AtomicInteger started = new AtomicInteger();
    AtomicInteger interrupted = new AtomicInteger();
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () -> {
              try (Stream<Mapped<Integer, Integer>> results =
                  Results.mapStream(
                      IntStream.range(0, 10).boxed().toList(),
                      k -> {
                        if (k != 0) {
                          started.incrementAndGet();
                          try {
                            Thread.sleep(FOREVER);
                          } catch (InterruptedException e) {
                            interrupted.incrementAndGet();
                            throw e;
                          }
                        }
                        return k;
                      },
                      MapOrder.COMPLETION,
                      null)) {
                results.forEach(m -> {
                  throw stop;
                });
              }
            });
    assertSame(stop, thrown);
    assertEquals(0, thrown.getSuppressed().length, "closing the stream reported nothing");
    assertEquals(started.get(), interrupted.get(), "every other task that began was cancelled");
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void w5_interruptedConsumerCancelsTheTasksAndKeepsItsInterruptStatus() throws Exception {
    AtomicInteger interrupted = new AtomicInteger();
    CountDownLatch allRunning = new CountDownLatch(5);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> interruptStatus = new AtomicReference<>();
    Thread consumer =
        Thread.ofVirtual()
            .start(() -> {
              try (Stream<Mapped<Integer, Integer>> results =
                  Results.mapStream(
                      IntStream.range(0, 5).boxed().toList(),
                      k -> {
                        allRunning.countDown();
                        try {
                          Thread.sleep(FOREVER);
                        } catch (InterruptedException e) {
                          interrupted.incrementAndGet();
                          throw e;
                        }
                        return k;
                      },
                      MapOrder.COMPLETION,
                      null)) {
                results.forEach(m -> {});
              } catch (Throwable t) {
                thrown.set(t);
              }
              interruptStatus.set(Thread.currentThread().isInterrupted());
            });
    allRunning.await();
    BlockedThreads.awaitBlocked(consumer);
    consumer.interrupt();
    consumer.join();
    assertInstanceOf(RuntimeException.class, thrown.get());
    assertEquals(Boolean.TRUE, interruptStatus.get(), "an outside interrupt is never swallowed");
    assertEquals(5, interrupted.get());
  }

  @Test
  void w5_mapOfNoInputsIsEmptyAndStartsNothing() {
    assertEquals(List.of(), Results.map(List.<Integer>of(), k -> k));
    try (Stream<Mapped<Integer, Integer>> results =
        Results.mapStream(List.<Integer>of(), k -> k, MapOrder.COMPLETION, null)) {
      assertEquals(0, results.count());
    }
    assertEquals(0, leaks.createdCount());
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** The inputs 0..n-1, calling {@code onPull} with each one as it is taken. */
  private static Iterable<Integer> recording(int n, java.util.function.IntConsumer onPull) {
    return () ->
        new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < n;
          }

          @Override
          public Integer next() {
            if (next >= n) {
              throw new NoSuchElementException();
            }
            int k = next++;
            onPull.accept(k);
            return k;
          }
        };
  }

  private static List<Long> indices(int n) {
    return IntStream.range(0, n).mapToObj(i -> (long) i).toList();
  }

  private static List<CountDownLatch> latches(int n) {
    List<CountDownLatch> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new CountDownLatch(1));
    }
    return list;
  }

  @Test
  void w5_mapOverAStreamPullsItLazilyAndClosesIt() {
    AtomicInteger pulled = new AtomicInteger();
    AtomicBoolean closed = new AtomicBoolean();
    Stream<Integer> inputs =
        Stream.iterate(0, i -> i + 1)
            .peek(i -> pulled.incrementAndGet())
            .onClose(() -> closed.set(true));
    try (Stream<Mapped<Integer, Integer>> results =
        Results.mapStream(inputs, i -> i * 10, MapOrder.INPUT, Limiter.maxAtOnce(2))) {
      assertEquals(List.of(0, 10, 20), results.limit(3).map(Mapped::value).toList());
    }
    assertTrue(closed.get(), "the input stream was not closed");
    // Taken (3) plus the input-order window of a limit of 2 (2 * 2 + 1 outstanding).
    assertTrue(
        pulled.get() <= 3 + 5 + 1, /* taken, input-order window 2 * 2 + 1, read-ahead */
        "an infinite stream was pulled " + pulled.get() + " times");
    assertEquals(List.of(2, 4, 6), Results.map(Stream.of(1, 2, 3), i -> i * 2, null));
  }
}
