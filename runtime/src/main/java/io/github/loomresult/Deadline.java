package io.github.loomresult;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * A nursery's deadline: computed from its own timeout and deadline, inherited from the enclosing
 * nursery (the earlier one wins), and the timer that expires it.
 *
 * <p>Only a nursery whose own deadline is the earlier one has a timer; an inherited deadline
 * reaches it through the enclosing nursery's cancellation. The timer runs on the one {@link
 * DeadlineTimer} thread of the JVM. Fields: all final but {@code timer}, which the owner writes
 * once in {@link #arm} and reads in {@link #disarm}, both on the owner's thread; the timer thread
 * never touches it.
 */
final class Deadline {
  /** What a nursery with no deadline of its own and none inherited has. */
  static final Deadline NONE = new Deadline(false, 0, false);

  private final boolean present;
  private final long atNanos;
  private final boolean ownTimer;
  private @Nullable ScheduledFuture<?> timer;

  private Deadline(boolean present, long atNanos, boolean ownTimer) {
    this.present = present;
    this.atNanos = atNanos;
    this.ownTimer = ownTimer;
  }

  /**
   * The deadline of a nursery opened at {@code now} (a {@link System#nanoTime()} reading), from its
   * own {@code timeout} and {@code deadline} (either may be null) and its enclosing nursery's.
   */
  static Deadline of(
      long now, @Nullable Duration timeout, @Nullable Instant deadline, Deadline inherited) {
    long own = ownNanos(now, timeout, deadline);
    boolean ownHas = own != Long.MAX_VALUE;
    if (!ownHas && !inherited.present) {
      return NONE;
    }
    if (!ownHas) {
      return new Deadline(true, inherited.atNanos, false);
    }
    if (inherited.present && own - inherited.atNanos >= 0) {
      return new Deadline(true, inherited.atNanos, false);
    }
    return new Deadline(true, own, true);
  }

  private static long ownNanos(long now, @Nullable Duration timeout, @Nullable Instant deadline) {
    long result = Long.MAX_VALUE;
    if (timeout != null) {
      result = now + Math.max(0, Math.min(ResultBase.saturatedNanos(timeout), Long.MAX_VALUE / 4));
    }
    if (deadline != null) {
      Duration until = Duration.between(Instant.now(), deadline);
      long atDeadline =
          now
              + Math.max(
                  -Long.MAX_VALUE / 4,
                  Math.min(ResultBase.saturatedNanos(until), Long.MAX_VALUE / 4));
      if (result == Long.MAX_VALUE || atDeadline - result < 0) {
        result = atDeadline;
      }
    }
    return result;
  }

  /** The deadline as an instant, or null if there is none. */
  @Nullable Instant instant() {
    return present ? Instant.now().plusNanos(atNanos - System.nanoTime()) : null;
  }

  /**
   * Starts the timer if this deadline is the nursery's own: {@code expire} runs at the deadline on
   * the timer thread, or right here if it has passed already.
   */
  void arm(Runnable expire) {
    if (!ownTimer) {
      return;
    }
    long delay = atNanos - System.nanoTime();
    if (delay <= 0) {
      expire.run();
      return;
    }
    timer = DeadlineTimer.schedule(delay, expire);
  }

  /** Cancels the timer, if any, once the nursery is done. */
  void disarm() {
    ScheduledFuture<?> pending = timer;
    if (pending != null) {
      pending.cancel(false);
    }
  }
}
