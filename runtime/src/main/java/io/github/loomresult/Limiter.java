package io.github.loomresult;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Limits how many tasks run at once and how fast they start (trimeter's {@code max_at_once} and
 * {@code max_per_second}, done right). A limiter can be set on a nursery ({@link
 * Nursery.Builder#limiter}), on one task ({@link ResultCapture.Builder#limiter}), or on one gather
 * or map call ({@link Results}), and shared between any of them: a {@link KeyedLimiter} hands out
 * one limiter per key, such as one per host.
 *
 * <p><b>Max at once</b> is enforced before a thread is created: a task that has no slot waits in a
 * FIFO queue as a pending handle, without a thread. When a running task ends, its slot goes to the
 * first queued task, which starts on a new thread once the ending one is gone: a limit of {@code n}
 * never has more than {@code n} live threads for its tasks, and no task runs on a thread that ran
 * another (it sees none of its {@code ThreadLocal}s). The slot is released in a {@code finally},
 * whatever the task did. Cancelling a queued task removes it from the queue at once.
 *
 * <p><b>Max per second</b> is a token bucket holding up to {@code burst} tokens, refilled at {@code
 * rate} tokens per second; every start takes one token. The bucket starts full, so the first {@code
 * burst} starts go at once and then one start every {@code 1/rate} seconds; an idle limiter saves
 * up at most {@code burst} tokens. Waiting for a token costs no thread: the limiter's {@link
 * LimiterClock} starts the queued task when its token is due.
 *
 * <p><b>Limits compose.</b> A task passes every limiter that applies to it: its own and its
 * nursery's (one limiter given for both counts once). It takes their slots one at a time, in the
 * order in which the limiters were built, and holds the slots it has while it waits, without a
 * thread, in the next queue; since every task takes limiters in that one order, no two tasks wait
 * for each other's slots. It gives every slot back when it ends, when it is cancelled while queued,
 * or when its thread cannot be created. A limit of {@code n} still means at most {@code n} live
 * threads for its tasks: a task's thread starts only once every thread that gave up one of its
 * slots is gone.
 *
 * <p>Things to know: a task that waits for another task limited by the same limiter (with {@code
 * waitDone}, or by calling {@link Nursery#start} into the limited nursery) while every slot is held
 * by such waiters deadlocks, as with any semaphore. A task started from the queue runs on a thread
 * that did not inherit the {@code InheritableThreadLocal}s of the thread that called {@code
 * startSoon}. Before a new thread takes over a slot, the thread that gave it up is joined; that
 * thread is only returning, so {@code startSoon} may block for a few microseconds.
 *
 * <pre>{@code
 * Limiter limit = Limiter.builder().maxAtOnce(16).maxPerSecond(50, 5).build();
 * Nursery.builder().limiter(limit).runVoid(n -> {
 *   for (String url : urls) {
 *     n.startSoon(() -> http.get(url)); // returns at once; at most 16 run, 50 start per second
 *   }
 * });
 * }</pre>
 */
public final class Limiter {
  /** The builder's "no max-at-once limit"; a limit is at least 1. */
  private static final int NONE = 0;

  private final boolean hasMaxAtOnce;
  private final int maxAtOnce;

  /** Where this limiter comes in the one order in which every task takes its limiters. */
  final long order = ORDER.getAndIncrement();

  private static final AtomicLong ORDER = new AtomicLong();

  private final double tokensPerNano;
  private final double burst;
  private final LimiterClock clock;

  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.
  private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
  private final ArrayDeque<Thread> exiting = new ArrayDeque<>();
  private int running;
  private double tokens;
  private long refilledAt;
  private boolean wakeUpScheduled;

  // The key this limiter serves in a KeyedLimiter, if it does: set before it is shared, then read
  // only. Once retired (guarded by lock) the key has let it go and it admits nobody.
  private @Nullable KeyedLimiter<?> owner;
  private @Nullable Object key;
  private boolean retired;
  private boolean idleCheckScheduled;

  private Limiter(Builder b) {
    this.hasMaxAtOnce = b.maxAtOnce != NONE;
    this.maxAtOnce = hasMaxAtOnce ? b.maxAtOnce : Integer.MAX_VALUE;
    this.tokensPerNano = b.perSecond / 1e9;
    this.burst = b.burst;
    this.clock = b.clock;
    this.tokens = b.burst;
    this.refilledAt = clock.nanoTime();
  }

  /** A limiter of {@code n} tasks running at once. */
  public static Limiter maxAtOnce(int n) {
    return builder().maxAtOnce(n).build();
  }

  /** A limiter of {@code rate} starts per second, with up to {@code burst} at once. */
  public static Limiter maxPerSecond(double rate, int burst) {
    return builder().maxPerSecond(rate, burst).build();
  }

  /** A builder to combine both limits or inject a clock. */
  public static Builder builder() {
    return new Builder();
  }

  /** The max-at-once limit; {@link Integer#MAX_VALUE} when there is none (or it is that). */
  int maxAtOnce() {
    return maxAtOnce;
  }

  /** How many tasks hold a slot now. */
  public int running() {
    lock.lock();
    try {
      return running;
    } finally {
      lock.unlock();
    }
  }

  /** How many tasks wait in the queue for a slot or a token. */
  public int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** The limits alone, fixed for its life: {@code [maxAtOnce=16, maxPerSecond=50.0/5]}. */
  String limits() {
    String both =
        (hasMaxAtOnce ? "maxAtOnce=" + maxAtOnce + ", " : "")
            + (tokensPerNano == 0
                ? ""
                : "maxPerSecond=" + tokensPerNano * 1e9 + "/" + (long) burst);
    return "[" + (both.endsWith(", ") ? both.substring(0, both.length() - 2) : both) + "]";
  }

  /**
   * Limits and counts: {@code Limiter[maxAtOnce=16, maxPerSecond=50.0/5, running=16, queued=3]}.
   */
  @Override
  public String toString() {
    lock.lock();
    try {
      return "Limiter["
          + (hasMaxAtOnce ? "maxAtOnce=" + maxAtOnce + ", " : "")
          + (tokensPerNano == 0
              ? ""
              : "maxPerSecond=" + tokensPerNano * 1e9 + "/" + (long) burst + ", ")
          + "running="
          + running
          + ", queued="
          + queue.size()
          + "]";
    } finally {
      lock.unlock();
    }
  }

  // ---- the nursery's side -------------------------------------------------------------------

  static final int ADMITTED = 0;
  static final int QUEUED = 1;
  static final int RETIRED = 2;

  /** A task waiting in the queue for its limiter number {@code stage} (see {@link Admission}). */
  static final class Ticket {
    final Nursery nursery;
    final ResultCapture<?> capture;
    final Admission admission;
    final int stage;

    /** The thread that gave up the slot this ticket got, still on its way out; or null. */
    @Nullable Thread predecessor;

    /** When it was queued (System.nanoTime()), for the wait's flight event and observers. */
    long queuedAt;

    /** Taken out of the queue already cancelled: ended without a slot, a token or a thread. */
    boolean cancelled;

    Ticket(Nursery nursery, ResultCapture<?> capture, Admission admission, int stage) {
      this.nursery = nursery;
      this.capture = capture;
      this.admission = admission;
      this.stage = stage;
    }
  }

  /**
   * Takes a slot and a token for {@code ticket} if both are free and nobody is queued ahead ({@link
   * #ADMITTED}); otherwise queues it ({@link #QUEUED}). {@link #RETIRED} if a {@link KeyedLimiter}
   * let this limiter go: the ticket belongs with the key's current limiter. If the clock refuses to
   * schedule the wake-up, the ticket is not queued and the clock's exception is thrown.
   */
  int admitOrQueue(Ticket ticket) {
    lock.lock();
    try {
      if (retired) {
        return RETIRED;
      }
      if (queue.isEmpty() && tryTake()) {
        ticket.predecessor = exiting.pollFirst();
        return ADMITTED;
      }
      ticket.queuedAt = System.nanoTime();
      queue.addLast(ticket);
      try {
        scheduleWakeUpLocked();
      } catch (RuntimeException | Error e) {
        queue.removeLastOccurrence(ticket); // not queued after all: the caller ends the task
        throw e;
      }
      return QUEUED;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives back a slot and starts whatever can start. {@code exitingThread}: the thread that held
   * it, if it is about to end (a thread started for this limiter waits for it), or null.
   */
  void release(@Nullable Thread exitingThread) {
    List<Ticket> toStart;
    boolean idle;
    lock.lock();
    try {
      running--;
      if (exitingThread != null) {
        noteExiting(exitingThread);
      }
      toStart = dispatchLocked();
      idle = isIdleLocked();
    } finally {
      lock.unlock();
    }
    startAll(toStart);
    if (idle) {
      notifyIdle();
    }
  }

  /** Removes {@code capture}'s ticket from the queue and returns it; null if it was not queued. */
  @Nullable Ticket withdraw(ResultCapture<?> capture) {
    Ticket removed = null;
    boolean idle;
    lock.lock();
    try {
      for (Iterator<Ticket> it = queue.iterator(); it.hasNext(); ) {
        Ticket t = it.next();
        if (t.capture == capture) {
          it.remove();
          removed = t;
          break;
        }
      }
      idle = removed != null && isIdleLocked();
    } finally {
      lock.unlock();
    }
    if (idle) {
      notifyIdle();
    }
    return removed;
  }

  /** Removes every queued ticket of {@code nursery}; returns them, in queue order. */
  List<Ticket> withdrawAll(Nursery nursery) {
    List<Ticket> removed = new ArrayList<>();
    boolean idle;
    lock.lock();
    try {
      for (Iterator<Ticket> it = queue.iterator(); it.hasNext(); ) {
        Ticket t = it.next();
        if (t.nursery == nursery) {
          it.remove();
          removed.add(t);
        }
      }
      idle = !removed.isEmpty() && isIdleLocked();
    } finally {
      lock.unlock();
    }
    if (idle) {
      notifyIdle();
    }
    return removed;
  }

  /** Whether tasks are waiting in the queue. */
  boolean hasQueue() {
    lock.lock();
    try {
      return !queue.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  private void wakeUp() {
    List<Ticket> toStart;
    boolean idle;
    lock.lock();
    try {
      wakeUpScheduled = false;
      toStart = dispatchLocked();
      idle = isIdleLocked();
    } finally {
      lock.unlock();
    }
    startAll(toStart);
    if (idle) {
      notifyIdle();
    }
  }

  /**
   * Remembers a thread that gave up its slot and is about to end, so that the next thread started
   * for that slot first waits for it: a limit of n never has n + 1 live threads.
   */
  private void noteExiting(Thread thread) {
    exiting.removeIf(t -> !t.isAlive());
    if (hasMaxAtOnce) {
      while (exiting.size() >= maxAtOnce) {
        exiting.pollFirst();
      }
      exiting.addLast(thread);
    }
  }

  private List<Ticket> dispatchLocked() {
    List<Ticket> toStart = List.of();
    while (!queue.isEmpty()) {
      Ticket t = Objects.requireNonNull(queue.peekFirst());
      // A task whose cancellation was requested would end as soon as its thread began: it gets
      // no slot and no thread (its nursery's cancellation takes queued tasks out right after its
      // walk), and gives back the slots of the limiters before this one.
      t.cancelled = TaskControl.isCancelRequested(t.capture);
      if (!t.cancelled && !tryTake()) {
        break;
      }
      queue.pollFirst();
      if (toStart.isEmpty()) {
        toStart = new ArrayList<>();
      }
      if (!t.cancelled) {
        t.predecessor = exiting.pollFirst();
      }
      toStart.add(t);
    }
    scheduleWakeUpLocked();
    return toStart;
  }

  private void startAll(List<Ticket> toStart) {
    for (Ticket t : toStart) {
      if (t.cancelled) {
        t.admission.endWithdrawn(t.stage);
      } else {
        Observability.limiterWaited(this, t.nursery, t.capture, t.queuedAt);
        t.admission.admittedFromQueue(t.predecessor);
      }
    }
  }

  // ---- the keyed limiter's side ---------------------------------------------------------------

  /** Makes this limiter the one of {@code key} in {@code owner}, before anyone else sees it. */
  void serveKey(KeyedLimiter<?> owner, Object key) {
    if (this.owner != null) {
      throw new IllegalStateException(
          "a KeyedLimiter's factory must make a new Limiter for each key; for key "
              + key
              + " it returned the one of key "
              + this.key);
    }
    this.owner = owner;
    this.key = key;
  }

  /** The limiter that serves this retired limiter's key now (made on demand). */
  Limiter successor() {
    return Objects.requireNonNull(owner).successorOf(Objects.requireNonNull(key));
  }

  private boolean isIdleLocked() {
    return owner != null && running == 0 && queue.isEmpty();
  }

  private void notifyIdle() {
    Objects.requireNonNull(owner).releaseIfIdle(Objects.requireNonNull(key), this);
  }

  /**
   * Retires this limiter if it is idle: no task holds a slot or waits, and its bucket is full, so a
   * new limiter for the same key would behave exactly as this one. If only the bucket is not full
   * yet, asks the clock to check again when it will be. Called by the owner, which drops the key
   * when this returns true.
   */
  boolean retireIfIdle() {
    lock.lock();
    try {
      if (retired || running != 0 || !queue.isEmpty()) {
        return retired;
      }
      if (tokensPerNano != 0) {
        refill();
        if (tokens < burst) {
          if (!idleCheckScheduled) {
            idleCheckScheduled = true;
            long delay = (long) Math.ceil((burst - tokens) / tokensPerNano);
            try {
              clock.schedule(
                  Math.max(0, delay),
                  () -> {
                    lock.lock();
                    try {
                      idleCheckScheduled = false;
                    } finally {
                      lock.unlock();
                    }
                    notifyIdle();
                  });
            } catch (RuntimeException | Error e) {
              idleCheckScheduled = false;
              throw e;
            }
          }
          return false;
        }
      }
      retired = true;
      return true;
    } finally {
      lock.unlock();
    }
  }

  private boolean tryTake() {
    if (running >= maxAtOnce) {
      return false;
    }
    if (!tryTakeToken()) {
      return false;
    }
    running++;
    return true;
  }

  private boolean tryTakeToken() {
    if (tokensPerNano == 0) {
      return true;
    }
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  private void refill() {
    long now = clock.nanoTime();
    long elapsed = now - refilledAt;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * tokensPerNano);
      refilledAt = now;
    }
  }

  /** If the head of the queue waits only for a token, asks the clock to wake us when it is due. */
  private void scheduleWakeUpLocked() {
    if (wakeUpScheduled || queue.isEmpty() || tokensPerNano == 0 || running >= maxAtOnce) {
      return;
    }
    refill();
    long delay = (long) Math.ceil((1 - tokens) / tokensPerNano);
    wakeUpScheduled = true;
    try {
      clock.schedule(Math.max(0, delay), this::wakeUp);
    } catch (RuntimeException | Error e) {
      wakeUpScheduled = false;
      throw e;
    }
  }

  /**
   * Configures a {@link Limiter}.
   *
   * <pre>{@code
   * Limiter limit = Limiter.builder().maxAtOnce(8).maxPerSecond(20, 2).build();
   * }</pre>
   */
  public static final class Builder {
    /** The smallest rate whose interval between starts a nanosecond clock can measure. */
    private static final double MIN_RATE = 1e9 / Long.MAX_VALUE;

    private int maxAtOnce = NONE;
    private double perSecond;
    private double burst;
    private LimiterClock clock = LimiterClock.system();

    private Builder() {}

    /** At most {@code n} tasks hold a slot at once; {@code n >= 1}. */
    public Builder maxAtOnce(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxAtOnce must be at least 1, was " + n);
      }
      this.maxAtOnce = n;
      return this;
    }

    /**
     * At most {@code rate} starts per second on average, {@code burst} at once; {@code rate} is
     * finite and at least {@code 1e9 / Long.MAX_VALUE} (about one start per 292 years, the longest
     * interval a nanosecond clock measures), {@code burst >= 1}. See the class documentation for
     * the bucket's exact behaviour.
     */
    public Builder maxPerSecond(double rate, int burst) {
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("maxPerSecond rate must be positive, was " + rate);
      }
      if (rate < MIN_RATE) {
        throw new IllegalArgumentException(
            "maxPerSecond rate must be at least "
                + MIN_RATE
                + " (one start per "
                + Long.MAX_VALUE
                + " ns, about 292 years), was "
                + rate);
      }
      if (burst < 1) {
        throw new IllegalArgumentException("maxPerSecond burst must be at least 1, was " + burst);
      }
      this.perSecond = rate;
      this.burst = burst;
      return this;
    }

    /** The clock for the rate limit; {@link LimiterClock#system()} unless set. */
    public Builder clock(LimiterClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The limiter. */
    public Limiter build() {
      if (maxAtOnce == NONE && perSecond == 0) {
        throw new IllegalStateException("a Limiter needs maxAtOnce, maxPerSecond or both");
      }
      return new Limiter(this);
    }
  }
}
