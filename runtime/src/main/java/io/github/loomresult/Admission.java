package io.github.loomresult;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The limiters one task must pass before its thread is created, and how far it got: its own limiter
 * ({@link ResultCapture.Builder#limiter}) and its nursery's ({@link Nursery.Builder#limiter}); one
 * of them, both, or one limiter given twice (taken once).
 *
 * <p>The rule that makes limits compose without deadlock: a task takes one slot from each of its
 * limiters in a single global order, the order in which the limiters were built ({@link
 * Limiter#order}), and holds what it took while it waits, without a thread, in the queue of the
 * next. Every task waits only for limiters that come after everything it holds, so no two tasks
 * wait for each other. A {@link KeyedLimiter} key whose limiter was released and made again gets a
 * newer limiter, which comes after everything built before it, so the order still holds. When the
 * task ends, or is cancelled in a queue (at any limiter), or cannot start, or a limiter's clock
 * fails on its way, it gives back every slot it holds.
 *
 * <p>A slot given up by an ending task goes to the next task on a new thread, once the ending
 * thread is gone ({@link #joinPredecessors}): for each of its limiters a task's thread starts only
 * after every thread that gave up one of its slots ended, so a limit of n never has n + 1 live
 * threads, and no task runs on a thread that ran another.
 *
 * <p>State: {@code passed} (the limiters below it are held) and {@code predecessors} are written by
 * one thread at a time: the launching thread until the task queues, then the thread that takes its
 * ticket out of a queue (through that limiter's lock), then the task's own thread, which reads them
 * after its thread was started (happens-before). A canceller reads only {@code limiters}, which
 * change only before the task first queues or while it holds none of them.
 */
final class Admission {
  static final int ADMITTED = 0;
  static final int QUEUED = 1;

  private final Nursery nursery;
  private final ResultCapture<?> capture;
  private volatile Limiter[] limiters;
  private int passed;
  private @Nullable Thread @Nullable [] predecessors;

  private Admission(Nursery nursery, ResultCapture<?> capture, Limiter[] limiters) {
    this.nursery = nursery;
    this.capture = capture;
    this.limiters = limiters;
  }

  /** The admission of a task that has one limiter or two (the same one twice counts once). */
  static @Nullable Admission of(
      Nursery nursery, ResultCapture<?> capture, @Nullable Limiter own, @Nullable Limiter shared) {
    Limiter[] ls;
    if (own == null && shared == null) {
      return null;
    } else if (own == null || shared == null || own == shared) {
      ls = new Limiter[] {own != null ? own : shared};
    } else {
      ls = own.order < shared.order ? new Limiter[] {own, shared} : new Limiter[] {shared, own};
    }
    return new Admission(nursery, capture, ls);
  }

  /** The limiters, in the order they are taken. */
  Limiter[] limiters() {
    return limiters;
  }

  /**
   * Takes slots from the limiters not passed yet, in order, as long as they admit at once. Returns
   * {@link #ADMITTED} once every limiter is passed, or {@link #QUEUED} when the task waits in a
   * queue (then the limiter that admits it later calls {@link #admittedFromQueue}). A task whose
   * cancellation was requested while it queued is taken out again and ended here.
   */
  int advance() {
    while (passed < limiters.length) {
      Limiter l = limiters[passed];
      Limiter.Ticket ticket = new Limiter.Ticket(nursery, capture, this, passed);
      int admitted;
      try {
        admitted = l.admitOrQueue(ticket);
      } catch (RuntimeException | Error e) {
        // The limiter's clock failed: the ticket was not queued; the caller ends the task.
        releaseBelow(passed);
        throw e;
      }
      switch (admitted) {
        case Limiter.ADMITTED -> passedOne(ticket.predecessor);
        case Limiter.QUEUED -> {
          if (TaskControl.isCancelRequested(capture) && l.withdraw(capture) != null) {
            // Cancelled while it was being queued: the cancellation did not see it in the queue.
            endWithdrawn(passed);
          }
          return QUEUED;
        }
        default -> replaceRetired(l);
      }
    }
    return ADMITTED;
  }

  /**
   * A limiter's queue gave this task its slot ({@code predecessor}: the thread that gave the slot
   * up, still on its way out, or null). Goes on with the next limiters; once every one is passed,
   * starts the task's thread. Nobody waits for this call: if a next limiter's clock fails, the task
   * ends failed with that error, which fails its nursery.
   */
  void admittedFromQueue(@Nullable Thread predecessor) {
    passedOne(predecessor);
    int admitted;
    try {
      admitted = advance();
    } catch (RuntimeException | Error e) {
      if (capture.isDone()) {
        throw e; // a callback of the task, ended as cancelled while it queued, failed
      }
      TaskLaunch.failDispatched(nursery, capture, e);
      return;
    }
    if (admitted == ADMITTED) {
      TaskLaunch.startDispatched(nursery, capture, this);
    }
  }

  private void passedOne(@Nullable Thread predecessor) {
    if (predecessor != null) {
      Thread[] ps = predecessors;
      if (ps == null) {
        ps = predecessors = new Thread[limiters.length];
      }
      ps[passed] = predecessor;
    }
    passed++;
  }

  /**
   * A {@link KeyedLimiter} released {@code retired}'s key while this task was on its way to it:
   * takes the key's current limiter instead, and puts the limiters not passed yet in order again (a
   * limiter made now comes after every limiter this task holds).
   */
  private void replaceRetired(Limiter retired) {
    Limiter current = retired.successor();
    Limiter[] ls = limiters;
    for (Limiter l : ls) {
      if (l == current) {
        // Held already, or taken later: one slot of it is enough.
        limiters = dropAt(ls, passed);
        return;
      }
    }
    ls = ls.clone();
    ls[passed] = current;
    Arrays.sort(ls, passed, ls.length, (x, y) -> Long.compare(x.order, y.order));
    limiters = ls;
  }

  private static Limiter[] dropAt(Limiter[] ls, int index) {
    Limiter[] shorter = new Limiter[ls.length - 1];
    System.arraycopy(ls, 0, shorter, 0, index);
    System.arraycopy(ls, index + 1, shorter, index, ls.length - index - 1);
    return shorter;
  }

  /** The threads to wait for before this task's thread may start: they gave up its slots. */
  void joinPredecessors() {
    Thread[] ps = predecessors;
    if (ps != null) {
      for (Thread p : ps) {
        if (p != null && p != Thread.currentThread()) {
          Uninterruptibly.join(p);
        }
      }
    }
  }

  /** Whether a thread that gave up one of this task's slots is still alive. */
  boolean hasLivePredecessor() {
    Thread[] ps = predecessors;
    if (ps != null) {
      for (Thread p : ps) {
        if (p != null && p.isAlive()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The task ended on its thread, which exits next: gives back every slot, in the order they were
   * taken, noting this thread as exiting in each limiter, so that a thread started for a freed slot
   * first waits for this one to end.
   */
  void releaseOnEnd() {
    Thread me = Thread.currentThread();
    Throwable failure = null;
    for (Limiter l : limiters) {
      try {
        l.release(me);
      } catch (RuntimeException | Error e) {
        // A failing clock: the other limiters get their slots back all the same.
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    } else if (failure instanceof Error e) {
      throw e;
    }
  }

  /** Gives back the slots of a task that holds them all but could not start. */
  void releaseAll() {
    releaseBelow(limiters.length);
  }

  /** Ends a task that a cancellation took out of the queue of its limiter number {@code stage}. */
  void endWithdrawn(int stage) {
    releaseBelow(stage);
    TaskLaunch.endWithdrawn(nursery, capture);
  }

  private void releaseBelow(int stage) {
    Limiter[] ls = limiters;
    for (int i = 0; i < stage; i++) {
      ls[i].release(null);
    }
  }

  /**
   * Takes the task out of whichever queue it waits in, if any, for a cancellation; true if it was
   * queued (it is then ended).
   */
  boolean withdrawForCancel() {
    for (Limiter l : limiters) {
      Limiter.Ticket t = l.withdraw(capture);
      if (t != null) {
        endWithdrawn(t.stage);
        return true;
      }
    }
    return false;
  }
}
