package io.github.loomresult;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
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
 * first queued task (the ending thread runs that task itself when it belongs to the same nursery,
 * so a limit of {@code n} never has more than {@code n} live threads for its tasks). The slot is
 * released in a {@code finally}, whatever the task did. Cancelling a queued task removes it from
 * the queue at once.
 *
 * <p><b>Max per second</b> is a token bucket holding up to {@code burst} tokens, refilled at {@code
 * rate} tokens per second; every start takes one token. The bucket starts full, so the first {@code
 * burst} starts go at once and then one start every {@code 1/rate} seconds; an idle limiter saves
 * up at most {@code burst} tokens. Waiting for a token costs no thread: the limiter's {@link
 * LimiterClock} starts the queued task when its token is due.
 *
 * <p>Things to know: a task that waits for another task limited by the same limiter (with {@code
 * waitDone}, or by calling {@link Nursery#start} into the limited nursery) while every slot is held
 * by such waiters deadlocks, as with any semaphore. A task started from the queue runs on a thread
 * that did not inherit the {@code InheritableThreadLocal}s of the thread that called {@code
 * startSoon}, and may run on the thread of an earlier task of its nursery (its interrupt status is
 * cleared first). Before a new thread takes over a slot, the thread that gave it up is joined; that
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

  /** A task waiting in the queue. */
  static final class Ticket {
    final Nursery nursery;
    final ResultCapture<?> capture;

    /** The thread that gave up the slot this ticket got, still on its way out; or null. */
    @Nullable Thread predecessor;

    Ticket(Nursery nursery, ResultCapture<?> capture) {
      this.nursery = nursery;
      this.capture = capture;
    }
  }

  /**
   * Takes a slot and a token for {@code ticket} if both are free and nobody is queued ahead;
   * otherwise queues it. Returns whether the caller should start it now.
   */
  boolean admitOrQueue(Ticket ticket) {
    lock.lock();
    try {
      if (queue.isEmpty() && tryTake()) {
        ticket.predecessor = exiting.pollFirst();
        return true;
      }
      queue.addLast(ticket);
      scheduleWakeUpLocked();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Called when a task of {@code nursery} ends on the current thread: hands the slot to the first
   * queued task if it belongs to the same nursery (the caller then runs it on its thread) and a
   * token is ready; otherwise releases the slot and starts whatever can start.
   */
  @Nullable ResultCapture<?> releaseOrHandOff(Nursery nursery) {
    List<Ticket> toStart;
    lock.lock();
    try {
      Ticket first = queue.peekFirst();
      if (first != null && first.nursery == nursery && tryTakeToken()) {
        queue.pollFirst();
        return first.capture;
      }
      running--;
      noteExiting(Thread.currentThread());
      toStart = dispatchLocked();
    } finally {
      lock.unlock();
    }
    startAll(toStart);
    return null;
  }

  /** Gives back a slot that was taken for a task that then could not start. */
  void release() {
    List<Ticket> toStart;
    lock.lock();
    try {
      running--;
      toStart = dispatchLocked();
    } finally {
      lock.unlock();
    }
    startAll(toStart);
  }

  /** Removes {@code capture}'s ticket from the queue; true if it was still queued. */
  boolean withdraw(ResultCapture<?> capture) {
    lock.lock();
    try {
      for (Iterator<Ticket> it = queue.iterator(); it.hasNext(); ) {
        if (it.next().capture == capture) {
          it.remove();
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Removes every queued ticket of {@code nursery}; returns their captures, in queue order. */
  List<ResultCapture<?>> withdrawAll(Nursery nursery) {
    List<ResultCapture<?>> removed = new ArrayList<>();
    lock.lock();
    try {
      for (Iterator<Ticket> it = queue.iterator(); it.hasNext(); ) {
        Ticket t = it.next();
        if (t.nursery == nursery) {
          it.remove();
          removed.add(t.capture);
        }
      }
    } finally {
      lock.unlock();
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
    lock.lock();
    try {
      wakeUpScheduled = false;
      toStart = dispatchLocked();
    } finally {
      lock.unlock();
    }
    startAll(toStart);
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
    while (!queue.isEmpty() && tryTake()) {
      if (toStart.isEmpty()) {
        toStart = new ArrayList<>();
      }
      Ticket t = Objects.requireNonNull(queue.pollFirst());
      t.predecessor = exiting.pollFirst();
      toStart.add(t);
    }
    scheduleWakeUpLocked();
    return toStart;
  }

  private static void startAll(List<Ticket> toStart) {
    for (Ticket t : toStart) {
      t.nursery.startDispatched(t.capture, t.predecessor);
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
    clock.schedule(Math.max(0, delay), this::wakeUp);
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
