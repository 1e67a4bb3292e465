package io.github.loomresult;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The cancellation state of one task: when its code may be interrupted, who interrupts it, and
 * which interrupt is whose. It works on fields of the {@link ResultCapture}, so that a task costs
 * no object beyond its capture.
 *
 * <h2>The {@code ctl} word</h2>
 *
 * <pre>
 *   bits 6..31    bit 5    bit 4          bit 3    bit 2      bit 1    bit 0
 *   shield depth  BY_US    INTERRUPTING   CANCEL   FINISHED   ACTIVE   CLAIMED
 * </pre>
 *
 * <ul>
 *   <li>{@code 0}: unclaimed. {@link #claim} (the nursery's launch, or {@code run()}) sets {@code
 *       CLAIMED}; {@link #claimForCancel} ({@code cancel()} of an unclaimed capture) sets {@code
 *       CLAIMED | CANCEL} and the capture ends cancelled at once.
 *   <li>{@code CLAIMED}: the task is on its way to a thread. {@link #activate} (the task's thread)
 *       sets {@code ACTIVE}, unless {@code CANCEL} came first: then the task never runs.
 *   <li>{@code ACTIVE}: the task's code runs; interrupts may be sent. {@link #deactivate} (the
 *       task's thread) clears it and sets {@code FINISHED}; from then on nothing is interrupted.
 *   <li>{@code CANCEL}: set once by {@link #requestCancel} (any canceller). If {@code ACTIVE} and
 *       the shield depth is 0, the same CAS sets {@code INTERRUPTING}: that canceller delivers the
 *       interrupt ({@link #deliverInterrupt}) and clears {@code INTERRUPTING} when it has.
 *       Otherwise the interrupt is delivered when the task activates ({@link #activate} with {@code
 *       always}) or when its last shield ends ({@link #exitShield}).
 *   <li>{@code BY_US}: the interrupt of this cancellation is the library's own: set or cleared by
 *       the canceller holding {@code INTERRUPTING} (set when it found the thread's flag clear), or
 *       set by the task's thread in {@link #owedInterrupt}; read by the task's thread, from a value
 *       of the word without {@code INTERRUPTING}, to take its own interrupt back.
 *   <li>shield depth: changed only by the task's own thread ({@link #enterShield}, {@link
 *       #exitShield}); it waits out an {@code INTERRUPTING} in progress before it enters.
 *   <li>{@code FINISHED} without {@code CLAIMED}'s thread: a capture ended off its thread
 *       (withdrawn from a limiter's queue: {@link #markFinished}; never started: {@link
 *       #markUnstarted}).
 * </ul>
 *
 * <h2>The other fields of the capture this class owns</h2>
 *
 * <p>{@code runner} is the capture's own; the others are in its {@link CaptureExtras}, made by the
 * first write (a task that never nests, runs nothing inline and meets no foreign interrupt has
 * none).
 *
 * <ul>
 *   <li>{@code runner}: the thread to interrupt; set by the nursery before it starts the thread or
 *       by the running thread, cleared by that thread in {@link #deactivate}.
 *   <li>{@code foreignInterruptSeen}: set by the canceller holding {@code INTERRUPTING} when it
 *       found the flag set by someone else: that interrupt is not ours.
 *   <li>{@code inlineDepth}: how many captures run inline on top of this one on its thread; written
 *       by that thread only.
 *   <li>{@code nested}: the nurseries opened inside the task; changed by the task's thread, read by
 *       cancellers.
 * </ul>
 */
final class TaskControl {
  static final int CLAIMED = 1;
  static final int ACTIVE = 1 << 1;
  static final int FINISHED = 1 << 2;
  static final int CANCEL = 1 << 3;
  static final int INTERRUPTING = 1 << 4;
  private static final int BY_US = 1 << 5;
  private static final int SHIELD_SHIFT = 6;
  private static final int SHIELD_UNIT = 1 << SHIELD_SHIFT;

  private static final VarHandle CTL;

  static {
    try {
      CTL = MethodHandles.lookup().findVarHandle(ResultCapture.class, "ctl", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private TaskControl() {}

  private static int ctl(ResultCapture<?> c) {
    return (int) CTL.getAcquire(c);
  }

  private static int shieldDepth(int s) {
    return s >>> SHIELD_SHIFT;
  }

  static boolean claim(ResultCapture<?> c) {
    return CTL.compareAndSet(c, 0, CLAIMED);
  }

  static boolean claimForCancel(ResultCapture<?> c) {
    return CTL.compareAndSet(c, 0, CLAIMED | CANCEL);
  }

  static boolean isCancelRequested(ResultCapture<?> c) {
    return (ctl(c) & CANCEL) != 0;
  }

  static boolean isFinished(ResultCapture<?> c) {
    return (ctl(c) & FINISHED) != 0;
  }

  /** A capture that ends off its thread: no interrupt is sent from now on. */
  static void markFinished(ResultCapture<?> c) {
    CTL.getAndBitwiseOr(c, FINISHED);
  }

  /** A capture whose task could not be started at all. */
  static void markUnstarted(ResultCapture<?> c) {
    CTL.getAndBitwiseOr(c, CLAIMED | FINISHED);
  }

  /**
   * Marks the task's code as executing. Returns false if cancellation came first, unless {@code
   * always} is set, in which case the pending cancellation is delivered right away instead.
   */
  static boolean activate(ResultCapture<?> c, boolean always) {
    for (; ; ) {
      int s = ctl(c);
      if ((s & CANCEL) != 0) {
        if (!always) {
          return false;
        }
        if (CTL.compareAndSet(c, s, s | ACTIVE | INTERRUPTING)) {
          deliverInterrupt(c);
          return true;
        }
      } else if (CTL.compareAndSet(c, s, s | ACTIVE)) {
        return true;
      }
    }
  }

  /**
   * Marks the task's code as returned, so no interrupt is sent from now on, and absorbs the
   * interrupt this task's cancellation sent. If the enclosing task on the same thread is itself
   * being cancelled, its interrupt is re-asserted so it is not lost.
   *
   * <p>If a canceller is delivering this task's interrupt right now, {@code threadGoesOn} decides:
   * when the thread runs other code afterwards (the caller's code, the enclosing task), we wait for
   * the interrupt to land and absorb it. A nursery's thread that is about to exit does not wait:
   * the interrupt cannot harm it, and waiting would make every woken task spin while its canceller,
   * interrupting thousands of them, needs that CPU (B3/B4 in docs/BENCHMARKS.md).
   */
  static void deactivate(
      ResultCapture<?> c, @Nullable ResultCapture<?> outer, boolean threadGoesOn) {
    int s;
    for (int spins = 0; ; spins++) {
      s = ctl(c);
      if ((s & INTERRUPTING) != 0 && threadGoesOn) {
        backOff(spins);
      } else if (CTL.compareAndSet(c, s, (s & ~ACTIVE) | FINISHED)) {
        break;
      }
    }
    // No interrupt is sent from now on, so the handle need not keep the thread reachable: a
    // nursery holding a million finished handles does not hold a million threads too.
    c.runner = null;
    // s holds no INTERRUPTING here, so BY_US in it is final: no canceller writes it any more.
    if ((s & (CANCEL | INTERRUPTING | BY_US)) == (CANCEL | BY_US)) {
      Thread.interrupted();
    }
    if (outer != null && cancellationPending(outer)) {
      // The enclosing task on this thread is being cancelled: its interrupt must be pending
      // when it resumes, whoever consumed the one it sent (or if it left that to us).
      owedInterrupt(outer);
    }
  }

  /** Waits until no cancellation of this (finished) task is delivering its interrupt. */
  static void awaitInterruptDelivered(ResultCapture<?> c) {
    for (int spins = 0; (ctl(c) & INTERRUPTING) != 0; spins++) {
      backOff(spins);
    }
  }

  /** Re-asserts on the current thread the interrupt of this (enclosing) task's cancellation. */
  private static void owedInterrupt(ResultCapture<?> c) {
    awaitInterruptDelivered(c);
    CTL.getAndBitwiseOr(c, BY_US);
    Thread.currentThread().interrupt();
  }

  /** Cancellation was requested and is not deferred by a shield. */
  static boolean cancellationPending(ResultCapture<?> c) {
    int s = ctl(c);
    return (s & CANCEL) != 0 && shieldDepth(s) == 0;
  }

  /**
   * Requests cancellation: sets {@code CANCEL} and, if the task's code is executing and not
   * shielded, cancels the nurseries nested in it and interrupts its thread. Returns whether this
   * call set {@code CANCEL}.
   */
  static boolean requestCancel(ResultCapture<?> c) {
    for (; ; ) {
      int s = ctl(c);
      if ((s & (CANCEL | FINISHED)) != 0) {
        return false;
      }
      if ((s & ACTIVE) == 0 || shieldDepth(s) != 0) {
        if (CTL.compareAndSet(c, s, s | CANCEL)) {
          return true;
        }
      } else if (CTL.compareAndSet(c, s, s | CANCEL | INTERRUPTING)) {
        deliverInterrupt(c);
        return true;
      }
    }
  }

  /** Called with {@code INTERRUPTING} set; clears it when done. */
  private static void deliverInterrupt(ResultCapture<?> c) {
    try {
      Thread t = c.runner;
      boolean alreadyInterrupted = t != null && t.isInterrupted();
      // Nested nurseries first: they must know they are cancelled before the interrupt that
      // reaches a thread waiting in one of them arrives. A nested nursery whose body runs on this
      // task's thread takes the interrupt over: it sends it itself (or, when its body is shielded,
      // when the shield ends) and re-asserts ours when its body ends.
      CaptureExtras x = c.extrasOrNull();
      List<Nursery> inner = x == null ? null : x.nested;
      boolean delegated = false;
      if (inner != null) {
        for (Nursery n : inner) {
          delegated |= n.cancelFromParent(t);
        }
      }
      if (t != null && !delegated) {
        if (alreadyInterrupted) {
          CTL.getAndBitwiseAnd(c, ~BY_US);
        } else {
          CTL.getAndBitwiseOr(c, BY_US);
        }
        // A pending interrupt is someone else's unless a capture running inline on this thread,
        // or a nursery nested in this task, may have sent it (its own cancellation, taken back
        // when it ends): then we cannot tell.
        if (alreadyInterrupted
            && (x == null || x.inlineDepth == 0)
            && (inner == null || inner.isEmpty())) {
          c.extras().foreignInterruptSeen = true;
        }
        t.interrupt();
      }
    } finally {
      CTL.getAndBitwiseAnd(c, ~INTERRUPTING);
    }
  }

  /** Defers cancellation of the current task until the matching {@link #exitShield}. */
  static void enterShield(ResultCapture<?> c) {
    int s;
    for (int spins = 0; ; spins++) {
      s = ctl(c);
      if ((s & INTERRUPTING) != 0) {
        backOff(spins);
      } else if (CTL.compareAndSet(c, s, s + SHIELD_UNIT)) {
        break;
      }
    }
    // s holds no INTERRUPTING: BY_US in it was written by the last delivery, which has ended.
    if ((s & (CANCEL | BY_US)) == (CANCEL | BY_US) && shieldDepth(s) == 0) {
      Thread.interrupted(); // taken back; exitShield sends it again
    }
  }

  /** Ends a shield; a cancellation requested meanwhile is delivered now. */
  static void exitShield(ResultCapture<?> c) {
    for (; ; ) {
      int s = ctl(c);
      int depth = shieldDepth(s);
      if (depth == 0) {
        throw new IllegalStateException("shield exit without entry");
      }
      if (depth == 1 && (s & CANCEL) != 0) {
        if (CTL.compareAndSet(c, s, (s - SHIELD_UNIT) | INTERRUPTING)) {
          deliverInterrupt(c);
          return;
        }
      } else if (CTL.compareAndSet(c, s, s - SHIELD_UNIT)) {
        return;
      }
    }
  }

  /** A nursery opened inside the task; cancelled at once if the task's cancellation is pending. */
  static void registerNested(ResultCapture<?> c, Nursery inner) {
    CaptureExtras x = c.extras();
    CopyOnWriteArrayList<Nursery> list = x.nested;
    if (list == null) {
      list = new CopyOnWriteArrayList<>();
      x.nested = list;
    }
    list.add(inner);
    if (cancellationPending(c)) {
      inner.cancelFromParent(null);
    }
  }

  static void unregisterNested(ResultCapture<?> c, Nursery inner) {
    CaptureExtras x = c.extrasOrNull();
    CopyOnWriteArrayList<Nursery> list = x == null ? null : x.nested;
    if (list != null) {
      list.remove(inner);
    }
  }

  static void backOff(int spins) {
    if (spins < 100) {
      Thread.onSpinWait();
    } else {
      Thread.yield();
    }
  }
}
