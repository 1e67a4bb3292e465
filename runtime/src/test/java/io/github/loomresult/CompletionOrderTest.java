package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** W3: handles in completion order, as a channel, an iterator and a stream. */
class CompletionOrderTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  @Test
  void w3_handlesArriveInTheOrderTheyComplete() throws Exception {
    int[] completionOrder = {3, 0, 4, 1, 2};
    List<CountDownLatch> gates = latches(5);
    Nursery.runVoid(n -> {
      List<ResultCapture<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        int index = i;
        tasks.add(
            n.startSoon(() -> {
              gates.get(index).await();
              return index;
            }));
      }
      try (CompletionChannel<ResultCapture<Integer>> channel = Results.inCompletionOrder(tasks)) {
        for (int index : completionOrder) {
          gates.get(index).countDown();
          ResultCapture<Integer> next = channel.receive();
          assertSame(tasks.get(index), next);
          assertEquals(index, next.result());
        }
        assertNull(channel.receive());
      }
    });
  }

  @Test
  void w3_alreadyDoneHandlesComeFirstInIterationOrder() throws Exception {
    List<Future<Integer>> futures = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      futures.add(new Future<>());
    }
    futures.get(3).setResult(3);
    futures.get(1).setResult(1);
    try (CompletionChannel<Future<Integer>> channel = Results.inCompletionOrder(futures)) {
      futures.get(4).setResult(4);
      futures.get(0).setResult(0);
      futures.get(2).setResult(2);
      List<Future<Integer>> order = new ArrayList<>();
      channel.forEachRemaining(order::add);
      assertEquals(
          List.of(futures.get(1), futures.get(3), futures.get(4), futures.get(0), futures.get(2)),
          order);
    }
  }

  @Test
  void w3_channelIsFinishedOnceEveryHandleWasDelivered() throws Exception {
    Future<String> a = new Future<>();
    Future<String> b = new Future<>();
    try (CompletionChannel<Future<String>> channel = Results.inCompletionOrder(List.of(a, b))) {
      assertFalse(channel.isFinished());
      assertEquals(2, channel.remaining());
      a.setResult("a");
      assertSame(a, channel.next());
      assertTrue(channel.hasNext());
      assertEquals(1, channel.remaining());
      b.setException(new IllegalStateException("b"));
      assertSame(b, channel.next());
      assertTrue(channel.isFinished());
      assertFalse(channel.hasNext());
      assertEquals(0, channel.remaining());
      assertNull(channel.receive());
      assertNull(channel.receive(Duration.ofDays(1)));
      assertThrows(NoSuchElementException.class, channel::next);
    }
  }

  @Test
  void w3_channelOfNoHandlesIsFinishedAtOnce() throws Exception {
    try (CompletionChannel<Future<String>> channel = Results.inCompletionOrder(List.of())) {
      assertTrue(channel.isFinished());
      assertNull(channel.receive());
    }
  }

  @Test
  void w3_receiveWakesAConsumerBlockedBeforeTheHandleCompleted() throws Exception {
    Future<String> a = new Future<>();
    try (CompletionChannel<Future<String>> channel = Results.inCompletionOrder(List.of(a))) {
      AtomicReference<Future<String>> received = new AtomicReference<>();
      Thread consumer =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  received.set(channel.receive());
                } catch (InterruptedException e) {
                  throw new AssertionError(e);
                }
              });
      BlockedThreads.awaitBlocked(consumer);
      a.setResult("a");
      consumer.join();
      assertSame(a, received.get());
      assertTrue(channel.isFinished());
    }
  }

  @Test
  void w3_timedReceiveReturnsNullWhenNothingCompletesInTime() throws Exception {
    Future<String> a = new Future<>();
    try (CompletionChannel<Future<String>> channel = Results.inCompletionOrder(List.of(a))) {
      assertNull(channel.receive(Duration.ofMillis(20)));
      assertNull(channel.receive(Duration.ZERO));
      assertFalse(channel.isFinished(), "timed out, not finished");
      a.setResult("a");
      assertSame(a, channel.receive(Duration.ZERO));
    }
  }

  @Test
  void w3_streamDeliversTheHandlesInCompletionOrder() throws Exception {
    int[] completionOrder = {2, 3, 0, 1};
    List<CountDownLatch> gates = latches(4);
    Nursery.runVoid(n -> {
      List<ResultCapture<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int index = i;
        tasks.add(
            n.startSoon(() -> {
              gates.get(index).await();
              return index;
            }));
      }
      AtomicInteger delivered = new AtomicInteger();
      gates.get(completionOrder[0]).countDown();
      List<Integer> values;
      try (Stream<ResultCapture<Integer>> stream = Results.inCompletionOrder(tasks).stream()) {
        values =
            stream
                .map(ResultCapture::result)
                .peek(v -> {
                  // Only once this one was delivered may the next task finish.
                  int next = delivered.incrementAndGet();
                  if (next < completionOrder.length) {
                    gates.get(completionOrder[next]).countDown();
                  }
                })
                .toList();
      }
      assertEquals(List.of(2, 3, 0, 1), values);
    });
  }

  @Test
  void w3_closingWakesABlockedConsumerWithNull() throws Exception {
    Future<String> never = new Future<>();
    CompletionChannel<Future<String>> channel = Results.inCompletionOrder(List.of(never));
    AtomicReference<Object> received = new AtomicReference<>("unset");
    Thread consumer =
        Thread.ofVirtual()
            .start(() -> {
              try {
                received.set(channel.receive());
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            });
    BlockedThreads.awaitBlocked(consumer);
    channel.close();
    consumer.join();
    assertNull(received.get());
    assertTrue(channel.isFinished());
    never.setResult("late");
    assertNull(channel.receive(), "a closed channel delivers nothing more");
  }

  @Test
  void w3_earlyExitFromTheStreamLeavesNoThreadBlockedAndTheNurseryExits() throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger interrupted = new AtomicInteger();
    ResultCapture<?>[] first = new ResultCapture<?>[1];
    List<ResultCapture<String>> tasks = new ArrayList<>();
    Nursery.runVoid(n -> {
      for (int i = 0; i < 20; i++) {
        int index = i;
        tasks.add(
            n.startSoon(() -> {
              if (index == 7) {
                return "fast";
              }
              started.incrementAndGet();
              try {
                Thread.sleep(Duration.ofDays(1));
              } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
              }
              return "slow";
            }));
      }
      try (Stream<ResultCapture<String>> stream = Results.inCompletionOrder(tasks).stream()) {
        first[0] = stream.findFirst().orElseThrow();
      }
      n.cancel();
    });
    assertSame(tasks.get(7), first[0]);
    assertEquals(started.get(), interrupted.get(), "every slow task that began was interrupted");
    assertEquals(20, leaks.createdCount());
    for (ResultCapture<String> t : tasks) {
      assertEquals(t == tasks.get(7) ? TaskState.SUCCEEDED : TaskState.CANCELLED, t.state());
    }
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void w3_consumerThatStopsEarlyWithoutCancellingLetsTheTasksFinish() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<ResultCapture<Integer>> tasks = new ArrayList<>();
    Nursery.runVoid(n -> {
      for (int i = 0; i < 5; i++) {
        int index = i;
        tasks.add(
            n.startSoon(() -> {
              if (index > 0) {
                release.await();
              }
              return index;
            }));
      }
      try (CompletionChannel<ResultCapture<Integer>> channel = Results.inCompletionOrder(tasks)) {
        assertSame(tasks.get(0), channel.next());
      }
      // The channel is closed: completing the rest must not block on it.
      release.countDown();
    });
    for (ResultCapture<Integer> t : tasks) {
      assertEquals(TaskState.SUCCEEDED, t.state());
    }
  }

  @Test
  void w3_interruptedReceiveLeavesTheChannelUsable() throws Exception {
    Future<String> a = new Future<>();
    try (CompletionChannel<Future<String>> channel = Results.inCompletionOrder(List.of(a))) {
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread consumer =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  channel.receive();
                } catch (Throwable t) {
                  thrown.set(t);
                }
              });
      BlockedThreads.awaitBlocked(consumer);
      consumer.interrupt();
      consumer.join();
      assertInstanceOf(InterruptedException.class, thrown.get());
      assertFalse(a.isDone(), "interrupting the consumer does not touch the handle");
      assertEquals(1, channel.remaining());
      a.setResult("a");
      assertSame(a, channel.receive());
    }
  }

  @Test
  void w3_interruptedIteratorThrowsCancelledAndKeepsTheInterruptStatus() throws Exception {
    Future<String> a = new Future<>();
    try (CompletionChannel<Future<String>> channel = Results.inCompletionOrder(List.of(a))) {
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
      Thread consumer =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  channel.next();
                } catch (Throwable t) {
                  thrown.set(t);
                  stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
              });
      BlockedThreads.awaitBlocked(consumer);
      consumer.interrupt();
      consumer.join();
      assertInstanceOf(TaskCancelledException.class, thrown.get());
      assertEquals(Boolean.TRUE, stillInterrupted.get());
      assertTrue(channel.hasNext());
    }
  }

  @Test
  void w3_cancelledConsumerTaskLeavesNothingBlockedAndTheNurseryExits() throws Exception {
    CountDownLatch consumerStarted = new CountDownLatch(1);
    List<ResultCapture<Void>> tasks = new ArrayList<>();
    ResultCapture<?>[] consumer = new ResultCapture<?>[1];
    Nursery.runVoid(n -> {
      for (int i = 0; i < 5; i++) {
        tasks.add(n.startSoon(() -> Thread.sleep(Duration.ofDays(1))));
      }
      consumer[0] =
          n.startSoon(() -> {
            try (CompletionChannel<ResultCapture<Void>> channel =
                Results.inCompletionOrder(tasks)) {
              consumerStarted.countDown();
              return channel.receive();
            }
          });
      consumerStarted.await();
      consumer[0].cancel();
      consumer[0].waitDone();
      for (ResultCapture<Void> t : tasks) {
        assertFalse(t.isDone(), "cancelling the consumer does not touch the handles");
      }
      n.cancel();
    });
    assertEquals(TaskState.CANCELLED, consumer[0].state());
    assertInstanceOf(InterruptedException.class, consumer[0].exception().getCause());
    for (ResultCapture<Void> t : tasks) {
      assertEquals(TaskState.CANCELLED, t.state());
    }
  }

  private static List<CountDownLatch> latches(int n) {
    List<CountDownLatch> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new CountDownLatch(1));
    }
    return list;
  }
}
