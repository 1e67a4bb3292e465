package io.github.loomresult;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which task each thread that a nursery created for a task runs (a virtual thread, always): where
 * {@link CurrentTask} finds a task on its own thread. A task costs the index no object, only a slot
 * (about 1.3-2 slots of 4 B per running task with compressed oops), where a {@code ScopedValue}
 * binding costs a carrier and a snapshot (56 B) and a {@code ThreadLocal} a map, a table and an
 * entry (136 B).
 *
 * <p>The index is split into {@link #STRIPES} stripes by a hash of the thread's id (see {@link
 * #hash}); each stripe is an open-addressing table (linear probing) of captures, whose {@code
 * runner} says which thread each belongs to. State of a stripe, and who writes it:
 *
 * <ul>
 *   <li>{@code lock}: 0 or 1; taken by a CAS from 0 by {@link #add} and {@link #remove} (a spin
 *       lock: nothing inside blocks or waits), released by them.
 *   <li>{@code slots}: replaced, under the lock, by a copy holding only the live entries when the
 *       table fills up or empties; published by a volatile write. A slot is {@code null} (never
 *       used since the copy), a capture, or {@link #REMOVED}. Under the lock, {@link #add} writes a
 *       capture into a {@code null} or {@code REMOVED} slot, and {@link #remove} writes {@code
 *       REMOVED} over it.
 *   <li>{@code live}, {@code used} (live and {@code REMOVED} slots): written under the lock.
 * </ul>
 *
 * <p>{@link #find} takes no lock: a thread only ever looks up its own entry, which it added itself
 * and removes itself, so it sees it; while the entry is in an array, no slot between its probe
 * start and the entry is {@code null} (a removal leaves {@code REMOVED}; only a copy makes new
 * {@code null} slots, and it copies the entry too).
 */
final class TaskThreadIndex {
  /** Stripes, a power of two: enough that starts and ends on many cores rarely meet. */
  static final int STRIPES = 64;

  /** Consecutive thread ids that share a stripe and neighbouring slots; at most MIN_CAPACITY. */
  private static final int BLOCK_BITS = 4;

  private static final int BLOCK = 1 << BLOCK_BITS;

  /**
   * The smallest table: 64 stripes of 64 slots (16 KB when idle). A stripe takes whole blocks of 16
   * ids and grows at its 49th entry, so about a thousand running tasks grow no table, where growing
   * and shrinking would allocate on every burst.
   */
  private static final int MIN_CAPACITY = 64;

  private static final Object REMOVED = new Object();
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final Stripe[] STRIPE = new Stripe[STRIPES];

  static {
    for (int i = 0; i < STRIPES; i++) {
      STRIPE[i] = new Stripe();
    }
  }

  private TaskThreadIndex() {}

  /** Adds {@code c}, whose {@code runner} is {@code thread}, the current thread. */
  static void add(ResultCapture<?> c, Thread thread) {
    long h = hash(thread);
    Stripe s = stripe(h);
    s.lock();
    try {
      Object[] slots = s.slots;
      if (s.used + 1 > slots.length - (slots.length >>> 2)) { // more than 3/4 used after the add
        slots = s.resize(s.live + 1);
      }
      int mask = slots.length - 1;
      for (int i = start(h, mask); ; i = (i + 1) & mask) {
        Object o = slots[i];
        if (o == null || o == REMOVED) {
          SLOT.setRelease(slots, i, c);
          s.live++;
          if (o == null) {
            s.used++;
          }
          return;
        }
      }
    } finally {
      s.unlock();
    }
  }

  /**
   * Removes {@code c}, added for {@code thread}, the current thread; nothing if it is not there.
   * Never throws: a table that cannot shrink stays as it is.
   */
  static void remove(ResultCapture<?> c, Thread thread) {
    long h = hash(thread);
    Stripe s = stripe(h);
    s.lock();
    try {
      Object[] slots = s.slots;
      int mask = slots.length - 1;
      for (int i = start(h, mask); ; i = (i + 1) & mask) {
        Object o = slots[i];
        if (o == null) {
          return;
        }
        if (o == c) {
          SLOT.setRelease(slots, i, REMOVED);
          s.live--;
          if (slots.length > MIN_CAPACITY && s.live < (slots.length >>> 4)) {
            s.shrink();
          }
          return;
        }
      }
    } finally {
      s.unlock();
    }
  }

  /** The capture added for {@code thread}, which must be the current thread, or null. */
  static @Nullable ResultCapture<?> find(Thread thread) {
    if (!thread.isVirtual()) {
      return null; // only threads a nursery created for a task are added, and those are virtual
    }
    long h = hash(thread);
    Object[] slots = stripe(h).slots;
    int mask = slots.length - 1;
    for (int i = start(h, mask); ; i = (i + 1) & mask) {
      Object o = SLOT.getAcquire(slots, i);
      if (o == null) {
        return null;
      }
      if (o instanceof ResultCapture<?> c && c.runner == thread) {
        return c;
      }
    }
  }

  /** How many entries the index holds: for the tests, which check that none is left behind. */
  static int size() {
    int n = 0;
    for (Stripe s : STRIPE) {
      s.lock();
      try {
        n += s.live;
      } finally {
        s.unlock();
      }
    }
    return n;
  }

  /**
   * The key of {@code thread}: a block of {@link #BLOCK} consecutive thread ids (threads started
   * one after another, as a nursery's are) shares a stripe and a run of adjacent slots, so that
   * their adds and removes touch one or two cache lines instead of one each; the blocks themselves
   * are spread by a multiplicative hash. Bits 0..3: the id's place in its block; the others: the
   * hash of the block number, whose top six bits pick the stripe.
   */
  private static long hash(Thread thread) {
    long id = thread.threadId();
    return (id >>> BLOCK_BITS) * 0x9E3779B97F4A7C15L & -BLOCK | id & (BLOCK - 1);
  }

  private static Stripe stripe(long h) {
    return STRIPE[(int) (h >>> 58)]; // the top six bits: STRIPES = 64
  }

  /** The first slot to probe: the block's hashed place, then the id's place in the block. */
  private static int start(long h, int mask) {
    return ((int) (h >>> 22) & -BLOCK | (int) h & (BLOCK - 1)) & mask;
  }

  private static final class Stripe {
    private static final VarHandle LOCK;

    static {
      try {
        LOCK = MethodHandles.lookup().findVarHandle(Stripe.class, "lock", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    @SuppressWarnings("unused") // accessed through LOCK
    private volatile int lock;

    volatile Object[] slots = new Object[MIN_CAPACITY];
    int live;
    int used;

    void lock() {
      for (int spins = 0; !LOCK.compareAndSet(this, 0, 1); spins++) {
        TaskControl.backOff(spins);
      }
    }

    void unlock() {
      LOCK.setRelease(this, 0);
    }

    /** A copy of the live entries, at most half full with {@code entries}; published. */
    Object[] resize(int entries) {
      int capacity = MIN_CAPACITY;
      while (capacity < 2 * entries) {
        capacity <<= 1;
      }
      Object[] old = slots;
      Object[] copy = new Object[capacity];
      int mask = capacity - 1;
      for (Object o : old) {
        if (o instanceof ResultCapture<?> c) {
          Thread t = c.runner;
          // A live entry's runner is its thread until the thread removes it, which it cannot be
          // doing while we hold the lock.
          int i = start(hash(Objects.requireNonNull(t)), mask);
          while (copy[i] != null) {
            i = (i + 1) & mask;
          }
          copy[i] = c;
        }
      }
      used = live;
      slots = copy;
      return copy;
    }

    /**
     * Gives back the room of a burst that is over. If the smaller copy cannot be allocated, the
     * larger table is kept: a removal must not fail.
     */
    void shrink() {
      try {
        resize(live);
      } catch (OutOfMemoryError keepTheLargerOne) {
        // Nothing was changed: resize publishes only a complete copy.
      }
    }
  }
}
