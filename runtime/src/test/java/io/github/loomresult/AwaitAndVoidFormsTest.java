package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A handle's await, and the void forms of starting a task and of shielding a section. */
class AwaitAndVoidFormsTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  @Test
  void awaitBlocksUntilTheHandleIsDoneAndReturnsTheValue() throws Exception {
    Future<String> future = new Future<>();
    AtomicReference<String> got = new AtomicReference<>();
    Thread waiter =
        Thread.ofVirtual()
            .start(() -> {
              try {
                got.set(future.await());
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
            });
    BlockedThreads.awaitBlocked(waiter);
    future.setResult("value");
    waiter.join();
    assertEquals("value", got.get());
  }

  @Test
  void awaitThrowsWhatResultThrowsForAFailedTask() throws Exception {
    IOException failure = new IOException("reset");
    Nursery.runVoid(n -> {
      ResultCapture<String> started =
          ResultCapture.builder()
              .suppressException()
              .startSoon(
                  n,
                  () -> {
                    if (true) {
                      throw failure;
                    }
                    return "never";
                  });
      TaskFailedException e = assertThrows(TaskFailedException.class, started::await);
      assertSame(failure, e.getCause());
    });
  }

  @Test
  void awaitOnACancelledTaskThrowsThatItWasCancelled() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Nursery.runVoid(n -> {
      ResultCapture<Void> task =
          n.startSoon(() -> {
            started.countDown();
            Thread.sleep(BlockedThreads.FOREVER);
          });
      started.await();
      task.cancel();
      TaskFailedException e = assertThrows(TaskFailedException.class, task::await);
      assertTrue(e.getMessage().contains("was cancelled"), e.getMessage());
      assertTrue(e.getCause() instanceof TaskCancelledException);
    });
  }

  @Test
  void anInterruptedAwaitThrowsAndLeavesTheTaskRunning() throws Exception {
    Future<String> future = new Future<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread waiter =
        Thread.ofVirtual()
            .start(() -> {
              try {
                future.await();
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    BlockedThreads.awaitBlocked(waiter);
    waiter.interrupt();
    waiter.join();
    assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
    assertFalse(future.isDone());
  }

  @Test
  void timedAwaitReportsAHandleNotDoneInTimeAsResultDoes() throws Exception {
    Future<String> future = new Future<>();
    assertThrows(TaskNotDoneException.class, () -> future.await(Duration.ofMillis(1)));
    assertThrows(TaskNotDoneException.class, () -> future.await(Duration.ZERO));
    future.setResult(null);
    assertNull(future.await(Duration.ofDays(1)));
  }

  @Test
  void aLambdaWithAValueKeepsItAndABlockDropsIt(@TempDir Path dir) throws Exception {
    Path source = Files.writeString(dir.resolve("a"), "12345");
    Path target = dir.resolve("b");
    Path other = dir.resolve("c");
    Nursery.runVoid(nursery -> {
      ResultCapture<Path> copied = nursery.startSoon(() -> Files.copy(source, target));
      ResultCapture<Void> upload =
          nursery.startSoon(() -> {
            Files.copy(source, other);
          });
      assertEquals(target, copied.await());
      assertNull(upload.await());
    });
    assertEquals("12345", Files.readString(other));
  }

  @Test
  void shieldTakesAVoidSectionAndDefersTheCancellationUntilItEnds() {
    CountDownLatch inShield = new CountDownLatch(1);
    CountDownLatch cancelRequested = new CountDownLatch(1);
    AtomicBoolean sectionCompleted = new AtomicBoolean();
    AtomicBoolean interruptedAfter = new AtomicBoolean();
    Nursery.runVoid(n -> {
      n.startSoon(() -> {
        Cancellation.shield(() -> awaitThenMark(inShield, cancelRequested, sectionCompleted));
        try {
          Thread.sleep(BlockedThreads.FOREVER);
        } catch (InterruptedException e) {
          interruptedAfter.set(true);
          throw e;
        }
      });
      inShield.await();
      n.cancel();
      cancelRequested.countDown();
    });
    assertTrue(sectionCompleted.get(), "the shielded section was cut short");
    assertTrue(interruptedAfter.get(), "the deferred cancellation was never delivered");
  }

  @Test
  void shieldOfAVoidSectionOutsideAnyTaskJustRunsIt() throws IOException {
    AtomicBoolean ran = new AtomicBoolean();
    Cancellation.shield(() -> ran.set(true));
    assertTrue(ran.get());
    IOException failure = new IOException("flush failed");
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                Cancellation.shield(() -> {
                  throw failure;
                }));
    assertSame(failure, thrown);
  }

  /** A void method, as a journal's flush would be. */
  private static void awaitThenMark(
      CountDownLatch entered, CountDownLatch proceed, AtomicBoolean done)
      throws InterruptedException {
    entered.countDown();
    proceed.await(); // would throw if the cancellation interrupted the section
    done.set(true);
  }
}
