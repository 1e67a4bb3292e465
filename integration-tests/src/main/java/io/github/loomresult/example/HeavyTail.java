package io.github.loomresult.example;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A {@link ShopServer.Plan} with a heavy tail, for hedging: the first request for each chosen path
 * is slow (held until {@link #release()}, then answered), every other request, a repeat of a slow
 * one included, is answered at once. It counts the slow requests held and those answered, so a test
 * can tell how many slow calls a client waited for without measuring time.
 *
 * <pre>{@code
 * HeavyTail tail = new HeavyTail(path -> path.endsWith("0")); // SKU-0, SKU-10, ... are slow
 * server.plan(tail);
 * ... // a fan-out
 * int waitedFor = tail.slowAnswered();
 * tail.release();
 * }</pre>
 */
public final class HeavyTail implements ShopServer.Plan {
  private final Predicate<String> slowPath;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final CountDownLatch released = new CountDownLatch(1);
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private int held; // guarded by lock
  private int slowAnswered; // guarded by lock

  /** A tail on the first request for each path that {@code slowPath} accepts. */
  public HeavyTail(Predicate<String> slowPath) {
    this.slowPath = Objects.requireNonNull(slowPath, "slowPath");
  }

  @Override
  public Reply reply(ShopServer.Request request) throws InterruptedException {
    if (!slowPath.test(request.path()) || !seen.add(request.path())) {
      return Reply.ok();
    }
    count(true);
    released.await();
    count(false);
    return Reply.ok();
  }

  private void count(boolean arriving) {
    lock.lock();
    try {
      if (arriving) {
        held++;
      } else {
        slowAnswered++;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Lets every slow request held now or later be answered. */
  public void release() {
    released.countDown();
  }

  /** Slow requests that arrived so far. */
  public int held() {
    lock.lock();
    try {
      return held;
    } finally {
      lock.unlock();
    }
  }

  /** Slow requests let go to be answered so far. */
  public int slowAnswered() {
    lock.lock();
    try {
      return slowAnswered;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code n} slow requests have arrived.
   *
   * @throws IllegalStateException if they did not within 20 seconds
   */
  public void awaitHeld(int n) throws InterruptedException {
    long remaining = TimeUnit.SECONDS.toNanos(20);
    lock.lock();
    try {
      while (held < n) {
        if (remaining <= 0) {
          throw new IllegalStateException(held + " slow requests arrived, expected " + n);
        }
        remaining = changed.awaitNanos(remaining);
      }
    } finally {
      lock.unlock();
    }
  }
}
