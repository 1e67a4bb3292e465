package io.github.loomresult;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * Cooperative cancellation for the code of the current task: ask whether it was cancelled, throw if
 * so, or shield a section from cancellation.
 *
 * <p>Blocking calls notice cancellation by themselves (the task's thread is interrupted). Code that
 * computes without blocking checks with {@link #isCancelled()} or {@link #throwIfCancelled()}. A
 * {@linkplain #shield shielded} section, such as a clean-up that must finish, is not interrupted; a
 * cancellation that arrives during it is delivered when it ends.
 *
 * <pre>{@code
 * nursery.startSoon(() -> {
 *   for (Row row : rows) {
 *     Cancellation.throwIfCancelled();
 *     index(row);
 *   }
 *   Cancellation.shield(() -> journal.flush()); // runs to the end even if cancelled meanwhile
 * });
 * }</pre>
 */
public final class Cancellation {
  private Cancellation() {}

  /**
   * Whether cancellation of the current task (by its nursery or its own handle) was requested.
   * {@code false} outside any task.
   */
  public static boolean isCancelled() {
    ResultCapture<?> current = ResultCapture.current();
    return current != null && current.isCancelRequested();
  }

  /**
   * Throws {@link TaskCancelledException} if the current task was cancelled.
   *
   * @throws TaskCancelledException if {@link #isCancelled()}
   */
  public static void throwIfCancelled() {
    ResultCapture<?> current = ResultCapture.current();
    if (current != null && current.isCancelRequested()) {
      throw new TaskCancelledException(current.describeForMessage() + " was cancelled", null);
    }
  }

  /**
   * The effective deadline of the current task: the earliest of the deadlines of its nursery and
   * every nursery enclosing it, per-task timeouts included; empty outside any task or when none of
   * them has a deadline. Code passes it on to what it calls: an HTTP client's request timeout, a
   * JDBC statement's query timeout, a downstream service's deadline.
   *
   * <pre>{@code
   * Duration left = Cancellation.timeRemaining().orElse(Duration.ofSeconds(30));
   * HttpRequest request = HttpRequest.newBuilder(uri).timeout(left).build();
   * }</pre>
   */
  public static Optional<Instant> deadline() {
    ResultCapture<?> current = ResultCapture.current();
    Nursery nursery = current == null ? null : current.nursery;
    return nursery == null ? Optional.empty() : Optional.ofNullable(nursery.deadline());
  }

  /**
   * The time left until {@link #deadline()}, never negative ({@link Duration#ZERO} once it has
   * passed); empty when there is no deadline.
   */
  public static Optional<Duration> timeRemaining() {
    return deadline()
        .map(at -> {
          Duration left = Duration.between(Instant.now(), at);
          return left.isNegative() ? Duration.ZERO : left;
        });
  }

  /**
   * Runs {@code section} on the calling thread with the current task's cancellation deferred: the
   * thread is not interrupted by a cancellation until the section ends (an interrupt already
   * delivered is withdrawn for its duration and delivered again afterwards). Nurseries opened
   * inside are not cancelled by the enclosing ones meanwhile. Outside any task it just runs.
   *
   * @return what {@code section} returns
   * @throws X what {@code section} throws
   */
  public static <T, X extends Exception> T shield(ShieldedSection<T, X> section) throws X {
    Objects.requireNonNull(section, "section");
    ResultCapture<?> current = ResultCapture.current();
    if (current == null) {
      return section.run();
    }
    TaskControl.enterShield(current);
    try {
      return section.run();
    } finally {
      TaskControl.exitShield(current);
    }
  }

  /**
   * Runs a section without a value with the current task's cancellation deferred; see {@link
   * #shield(ShieldedSection)}. A lambda whose body is an expression with a value goes to that form
   * instead (its value is returned), as {@code ExecutorService.submit} picks {@code Callable}.
   *
   * <pre>{@code
   * Cancellation.shield(() -> journal.flush()); // flush() returns nothing
   * }</pre>
   *
   * @throws X what {@code section} throws
   */
  public static <X extends Exception> void shield(ShieldedRunnable<X> section) throws X {
    Objects.requireNonNull(section, "section");
    ResultCapture<?> current = ResultCapture.current();
    if (current == null) {
      section.run();
      return;
    }
    TaskControl.enterShield(current);
    try {
      section.run();
    } finally {
      TaskControl.exitShield(current);
    }
  }

  /**
   * The code of a {@linkplain #shield(ShieldedRunnable) shielded} section without a value.
   *
   * <pre>{@code
   * Cancellation.ShieldedRunnable<IOException> flush = () -> journal.flush();
   * Cancellation.shield(flush);
   * }</pre>
   *
   * @param <X> what it may throw
   */
  @FunctionalInterface
  public interface ShieldedRunnable<X extends Exception> {
    /** Runs the section. */
    void run() throws X;
  }

  /**
   * The code of a {@linkplain #shield shielded} section.
   *
   * <pre>{@code
   * Cancellation.ShieldedSection<Void, IOException> flush = () -> {
   *   journal.flush();
   *   return null;
   * };
   * Cancellation.shield(flush);
   * }</pre>
   *
   * @param <T> what it returns
   * @param <X> what it may throw
   */
  @FunctionalInterface
  public interface ShieldedSection<T, X extends Exception> {
    /** Runs the section. */
    T run() throws X;
  }

  /** Whether {@code t} is what a blocking call throws when its thread is interrupted. */
  static boolean isInterruptType(Throwable t) {
    return t instanceof InterruptedException
        || t instanceof InterruptedIOException
        || t instanceof ClosedByInterruptException;
  }

  /**
   * Whether {@code failure}, thrown by a task whose cancellation was requested, is the task
   * reacting to that cancellation rather than a failure of its own: an interrupt or a cancellation
   * exception anywhere in its cause chain (walked defensively, see {@link Throwables}).
   */
  static boolean isCancellation(Throwable failure) {
    return Throwables.causeChainHas(
        failure, t -> isInterruptType(t) || t instanceof CancellationException);
  }
}
