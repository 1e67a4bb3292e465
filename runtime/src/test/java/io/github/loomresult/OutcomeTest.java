package io.github.loomresult;

import static io.github.loomresult.BlockedThreads.FOREVER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rule R12 of SEMANTICS.md: outcomes are sealed, reusable value-or-failure objects. */
class OutcomeTest {
  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  @Test
  void r12_outcomeOfASucceededHandleIsASuccessWithTheValue() {
    ResultCapture<String> c = ResultCapture.of(() -> "v");
    c.run();
    Outcome.Success<?> s = assertInstanceOf(Outcome.Success.class, c.outcome());
    assertEquals("v", s.value());
    assertTrue(c.outcome().isSuccess());
  }

  @Test
  void r12_outcomeOfAFailedHandleIsAFailureWithTheOriginalException() {
    IOException boom = new IOException("boom");
    Future<String> f = new Future<>();
    f.setException(boom);
    Outcome.Failure<?> failure = assertInstanceOf(Outcome.Failure.class, f.outcome());
    assertSame(boom, failure.exception());
    assertFalse(f.outcome().isSuccess());
  }

  @Test
  void r12_outcomeOfACancelledTaskIsAFailureWithTaskCancelled() {
    ResultCapture<?> c =
        Nursery.run(n -> {
          CountDownLatch entered = new CountDownLatch(1);
          ResultCapture<Void> t =
              n.startSoon(() -> {
                entered.countDown();
                Thread.sleep(FOREVER);
              });
          entered.await();
          t.cancel();
          return t;
        });
    Outcome.Failure<?> failure = assertInstanceOf(Outcome.Failure.class, c.outcome());
    assertInstanceOf(TaskCancelledException.class, failure.exception());
    assertSame(c.exception(), failure.exception());
  }

  @Test
  void r12_successUnwrapsAnyNumberOfTimes() {
    Future<Integer> f = new Future<>();
    f.setResult(7);
    Outcome<Integer> o = f.outcome();
    assertEquals(7, o.unwrap());
    assertEquals(7, o.unwrap());
    assertEquals(7, f.outcome().unwrap());
  }

  @Test
  void r12_nullSuccessUnwrapsToNull() {
    Outcome<String> o = Outcome.success(null);
    assertTrue(o.isSuccess());
    assertNull(o.unwrap());
    assertNull(o.unwrap());
  }

  @Test
  void r12_failureUnwrapsAnyNumberOfTimesWithTheOriginalCause() {
    IOException boom = new IOException("boom");
    Outcome<String> o = Outcome.failure(boom);
    TaskFailedException first = assertThrows(TaskFailedException.class, o::unwrap);
    TaskFailedException second = assertThrows(TaskFailedException.class, o::unwrap);
    assertSame(boom, first.getCause());
    assertSame(boom, second.getCause());
  }

  @Test
  void r12_outcomeOfAHandleUnwrapsAnyNumberOfTimes() {
    IOException boom = new IOException("boom");
    ResultCapture<String> c =
        ResultCapture.builder()
            .suppressException()
            .build(() -> {
              throw boom;
            });
    c.run();
    for (int i = 0; i < 3; i++) {
      assertSame(boom, assertThrows(TaskFailedException.class, c.outcome()::unwrap).getCause());
    }
  }

  @Test
  void r12_outcomeIsSealedSoASwitchCoversItWithoutDefault() {
    assertEquals("value v", describe(Outcome.success("v")));
    assertEquals("failure boom", describe(Outcome.failure(new IOException("boom"))));
  }

  private static String describe(Outcome<String> outcome) {
    // No default branch: this compiles only because Outcome is sealed over the two records.
    return switch (outcome) {
      case Outcome.Success<String>(String value) -> "value " + value;
      case Outcome.Failure<String>(Throwable error) -> "failure " + error.getMessage();
    };
  }

  @Test
  void r12_captureRecordsASuccess() {
    Outcome<String> o = Outcome.capture(() -> "v");
    assertEquals(Outcome.success("v"), o);
  }

  @Test
  void r12_captureRecordsAFailureByIdentity() {
    IOException boom = new IOException("boom");
    Outcome<String> o =
        Outcome.capture(() -> {
          throw boom;
        });
    assertSame(boom, assertInstanceOf(Outcome.Failure.class, o).exception());
  }

  @Test
  void r12_failureRejectsNull() {
    assertThrows(NullPointerException.class, () -> Outcome.failure(null));
  }

  @Test
  void r12_outcomeBeforeDoneThrowsTaskNotDone() {
    Future<String> f = new Future<>();
    assertThrows(TaskNotDoneException.class, f::outcome);
  }
}
