package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The suite-wide thread-leak check: records every thread the library creates during a test and,
 * after the test, fails if any of them is still alive.
 *
 * <p>A task's thread signals its nursery as its very last action, so it may still be returning when
 * the nursery does; the check therefore joins each thread with a generous bound. A thread that is
 * really leaked (blocked, or still running user code) stays alive and fails the test.
 */
final class NoLeakedThreads implements BeforeEachCallback, AfterEachCallback {
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final ConcurrentLinkedQueue<Thread> created = new ConcurrentLinkedQueue<>();
  private final AtomicInteger peakAlive = new AtomicInteger();

  @Override
  public void beforeEach(ExtensionContext context) {
    created.clear();
    peakAlive.set(0);
    TaskThreads.observer = this::onCreated;
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    TaskThreads.observer = null;
    List<String> alive = new ArrayList<>();
    for (Thread t : created) {
      if (!t.join(GRACE)) {
        alive.add(t + " " + t.getState());
      }
    }
    created.clear();
    if (!alive.isEmpty()) {
      fail("threads started by loomresult are still alive after the test: " + alive);
    }
  }

  private void onCreated(Thread thread) {
    int alive = 1; // the new thread, about to start
    for (Thread t : created) {
      if (t.isAlive()) {
        alive++;
      }
    }
    peakAlive.accumulateAndGet(alive, Math::max);
    created.add(thread);
  }

  /**
   * The most library threads alive at once during the current test, sampled whenever one is created
   * (the only moment the number can grow).
   */
  int peakAliveThreads() {
    return peakAlive.get();
  }

  /** How many threads the library created during the current test so far. */
  int createdCount() {
    return created.size();
  }
}
