package io.github.loomresult;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;

/**
 * A thread factory for tests that creates named virtual threads (or platform threads) and keeps
 * every thread it created, so a test can check that a nursery used it and that none of its threads
 * outlives the nursery.
 */
final class TrackingThreadFactory implements ThreadFactory {
  private final ThreadFactory delegate;
  private final ConcurrentLinkedQueue<Thread> created = new ConcurrentLinkedQueue<>();

  private TrackingThreadFactory(ThreadFactory delegate) {
    this.delegate = delegate;
  }

  /** Creates virtual threads named {@code prefix0}, {@code prefix1}, ... */
  static TrackingThreadFactory virtual(String prefix) {
    return new TrackingThreadFactory(Thread.ofVirtual().name(prefix, 0).factory());
  }

  /** Creates daemon platform threads named {@code prefix0}, {@code prefix1}, ... */
  static TrackingThreadFactory platform(String prefix) {
    return new TrackingThreadFactory(Thread.ofPlatform().daemon(true).name(prefix, 0).factory());
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = delegate.newThread(r);
    created.add(t);
    return t;
  }

  /** Every thread created so far, in creation order. */
  List<Thread> threads() {
    return List.copyOf(created);
  }

  /** The threads created so far that are still alive. */
  List<Thread> alive() {
    return created.stream().filter(Thread::isAlive).toList();
  }
}
