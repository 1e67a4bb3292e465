package io.github.loomresult;

import static io.github.loomresult.BlockedThreads.awaitBlocked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rules R9 and R10 of SEMANTICS.md: the settable {@link Future} and the handle exceptions. */
class FutureTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  // ---- R9: Future -----------------------------------------------------------------------------

  @Test
  void r9_newFutureIsPending() {
    Future<String> f = new Future<>();
    assertEquals(TaskState.PENDING, f.state());
    assertFalse(f.isDone());
    assertThrows(TaskNotDoneException.class, f::result);
    assertThrows(TaskNotDoneException.class, f::exception);
  }

  @Test
  void r9_setResultCompletesWithTheValue() {
    Future<String> f = new Future<>();
    f.setResult("v");
    assertEquals(TaskState.SUCCEEDED, f.state());
    assertTrue(f.isDone());
    assertEquals("v", f.result());
    assertNull(f.exception());
  }

  @Test
  void r9_setResultAcceptsNull() {
    Future<String> f = new Future<>();
    f.setResult(null);
    assertEquals(TaskState.SUCCEEDED, f.state());
    assertNull(f.result());
  }

  @Test
  void r9_setExceptionCompletesWithTheOriginalException() {
    Future<String> f = new Future<>();
    IOException boom = new IOException("boom");
    f.setException(boom);
    assertEquals(TaskState.FAILED, f.state());
    assertSame(boom, f.exception());
    assertSame(boom, assertThrows(TaskFailedException.class, f::result).getCause());
  }

  @Test
  void r9_secondSetResultThrowsAndKeepsTheFirstValue() {
    Future<String> f = new Future<>();
    f.setResult("first");
    assertThrows(FutureSetAgainException.class, () -> f.setResult("second"));
    assertEquals("first", f.result());
    assertEquals(TaskState.SUCCEEDED, f.state());
  }

  @Test
  void r9_setExceptionAfterSetResultThrowsAndKeepsTheFirstValue() {
    Future<String> f = new Future<>();
    f.setResult("first");
    assertThrows(FutureSetAgainException.class, () -> f.setException(new EOFException("x")));
    assertEquals("first", f.result());
    assertNull(f.exception());
  }

  @Test
  void r9_setResultAfterSetExceptionThrowsAndKeepsTheFirstException() {
    Future<String> f = new Future<>();
    IOException boom = new IOException("boom");
    f.setException(boom);
    assertThrows(FutureSetAgainException.class, () -> f.setResult("late"));
    assertThrows(FutureSetAgainException.class, () -> f.setException(new EOFException("x")));
    assertSame(boom, f.exception());
    assertEquals(TaskState.FAILED, f.state());
  }

  @Test
  void r9_setExceptionNullIsRejectedAndLeavesTheFuturePending() {
    Future<String> f = new Future<>();
    assertThrows(NullPointerException.class, () -> f.setException(null));
    assertFalse(f.isDone());
    f.setResult("still settable");
    assertEquals("still settable", f.result());
  }

  @Test
  void r9_futureIsCompletedFromAnotherThreadAndWakesTheWaiter() {
    Future<String> f = new Future<>();
    Thread body = Thread.currentThread();
    String value =
        Nursery.run(n -> {
          n.startSoon(() -> {
            awaitBlocked(body); // the body waits in waitDone below
            f.setResult("from a task");
          });
          f.waitDone();
          return f.result();
        });
    assertEquals("from a task", value);
  }

  @Test
  void r9_everyWaiterWakesOnCompletion() {
    Future<String> f = new Future<>();
    int waiters = 8;
    Queue<Thread> threads = new ConcurrentLinkedQueue<>();
    CountDownLatch running = new CountDownLatch(waiters);
    List<ResultCapture<String>> seen =
        Nursery.run(n -> {
          List<ResultCapture<String>> captures = new ArrayList<>();
          for (int i = 0; i < waiters; i++) {
            boolean timed = i % 2 == 0;
            captures.add(
                n.startSoon(() -> {
                  threads.add(Thread.currentThread());
                  running.countDown();
                  if (timed) {
                    assertTrue(f.waitDone(Duration.ofDays(1)));
                  } else {
                    f.waitDone();
                  }
                  return f.result();
                }));
          }
          running.await();
          for (Thread t : threads) {
            awaitBlocked(t);
          }
          f.setResult("go");
          return captures;
        });
    for (ResultCapture<String> c : seen) {
      assertEquals("go", c.result());
    }
  }

  @Test
  void r9_waitDoneOnACompletedFutureReturnsAtOnce() throws InterruptedException {
    Future<String> f = new Future<>();
    f.setResult("v");
    f.waitDone();
    assertTrue(f.waitDone(Duration.ZERO));
  }

  // ---- R10: the exceptions are unchecked and carry their handle -------------------------------

  @Test
  void r10_handleExceptionsAreUnchecked() {
    assertTrue(RuntimeException.class.isAssignableFrom(TaskFailedException.class));
    assertTrue(RuntimeException.class.isAssignableFrom(TaskNotDoneException.class));
    assertTrue(RuntimeException.class.isAssignableFrom(FutureSetAgainException.class));
  }

  @Test
  void r10_taskFailedExceptionCarriesTheFuture() {
    Future<String> f = new Future<>();
    f.setException(new IOException("boom"));
    TaskFailedException e = assertThrows(TaskFailedException.class, f::result);
    assertSame(f, e.handle());
  }

  @Test
  void r10_taskFailedExceptionCarriesTheCapture() {
    ResultCapture<String> c =
        ResultCapture.builder()
            .suppressException()
            .build(() -> {
              throw new IOException("boom");
            });
    c.run();
    TaskFailedException e = assertThrows(TaskFailedException.class, c::result);
    assertSame(c, e.handle());
  }

  @Test
  void r10_taskNotDoneExceptionCarriesTheHandle() {
    Future<String> f = new Future<>();
    assertSame(f, assertThrows(TaskNotDoneException.class, f::result).handle());
    ResultCapture<String> c = ResultCapture.of(() -> "v");
    assertSame(c, assertThrows(TaskNotDoneException.class, c::exception).handle());
  }

  @Test
  void r10_futureSetAgainExceptionCarriesTheFuture() {
    Future<String> f = new Future<>();
    f.setResult("first");
    FutureSetAgainException e =
        assertThrows(FutureSetAgainException.class, () -> f.setResult("second"));
    assertSame(f, e.future());
  }
}
