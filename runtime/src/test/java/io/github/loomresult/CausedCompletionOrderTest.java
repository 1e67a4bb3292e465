package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * W3 with completions that cause completions: a handle is delivered before a handle whose
 * completion it caused, and a handle's callbacks run in the order they were registered.
 */
class CausedCompletionOrderTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  @Test
  void channelDeliversAHandleBeforeTheHandleItsCallbackCompleted() throws Exception {
    Future<Integer> first = new Future<>();
    Future<Integer> second = new Future<>();
    try (CompletionChannel<Future<Integer>> channel =
        Results.inCompletionOrder(List.of(first, second))) {
      first.toCompletableFuture().thenRun(() -> second.setResult(2));
      first.setResult(1);
      assertSame(first, channel.receive());
      assertSame(second, channel.receive());
    }
  }

  @Test
  void channelDeliversAHandleBeforeTheHandleAThreadItWokeCompleted() throws Exception {
    Future<Integer> first = new Future<>();
    Future<Integer> second = new Future<>();
    CountDownLatch secondSet = new CountDownLatch(1);
    try (CompletionChannel<Future<Integer>> channel =
        Results.inCompletionOrder(List.of(first, second))) {
      Thread waker =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  first.waitDone();
                } catch (InterruptedException e) {
                  throw new AssertionError(e);
                }
                second.setResult(2);
                secondSet.countDown();
              });
      BlockedThreads.awaitBlocked(waker);
      // Whatever order the waiters fire in, the woken thread completes the second handle while
      // the first one's completion is still firing.
      first.whenDone(() -> {
        LockSupport.unpark(waker);
        awaitUninterruptibly(secondSet);
      });
      first.setResult(1);
      waker.join();
      assertSame(first, channel.receive());
      assertSame(second, channel.receive());
    }
  }

  @Test
  void mapStreamInCompletionOrderDeliversATaskBeforeTheTaskItsCompletionReleased() {
    CountDownLatch releaseSecond = new CountDownLatch(1);
    CountDownLatch firstDelivered = new CountDownLatch(1);
    TaskFunction<Integer, Integer> function =
        input -> {
          if (input == 0) {
            // Runs on this task's thread once its handle is done: the other task completes
            // meanwhile, and this thread goes on only once the consumer has taken a result.
            ResultCapture.current()
                .toCompletableFuture()
                .thenRun(() -> {
                  releaseSecond.countDown();
                  awaitUninterruptibly(firstDelivered);
                });
            return 0;
          }
          releaseSecond.await();
          return 1;
        };
    List<Integer> order = new ArrayList<>();
    try (Stream<Mapped<Integer, Integer>> results =
        Results.mapStream(List.of(0, 1), function, MapOrder.COMPLETION, null)) {
      Iterator<Mapped<Integer, Integer>> it = results.iterator();
      order.add(it.next().outcome().unwrap());
      firstDelivered.countDown();
      order.add(it.next().outcome().unwrap());
    } finally {
      firstDelivered.countDown();
    }
    assertEquals(List.of(0, 1), order);
  }

  @Test
  void callbacksOfAHandleRunInTheOrderTheyWereRegistered() {
    Future<String> handle = new Future<>();
    List<String> ran = new CopyOnWriteArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String name = "view-" + i;
      expected.add(name);
      handle.toCompletableFuture().thenRun(() -> ran.add(name));
    }
    handle.setResult("done");
    assertEquals(expected, ran);
  }

  @Test
  void hasNextIsFalseAfterCloseFromAnotherThread() throws Exception {
    Future<Integer> pending = new Future<>();
    CompletionChannel<Future<Integer>> channel = Results.inCompletionOrder(List.of(pending));
    Thread closer = Thread.ofVirtual().start(channel::close);
    closer.join();
    assertFalse(channel.hasNext());
    assertFalse(channel.stream().findAny().isPresent());
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
