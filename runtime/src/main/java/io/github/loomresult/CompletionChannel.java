package io.github.loomresult;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * Handles delivered in the order they complete: aioresult's {@code results_to_channel} and a
 * completion-order iterator in one. Made by {@link Results#inCompletionOrder(Iterable)}.
 *
 * <p>Handles that are already done are delivered first, in iteration order; the rest in the order
 * they became done, also when one completion causes another (a callback, or a thread woken by the
 * first handle, that completes a second handle delivers it after the first). When every handle has
 * been delivered the channel is finished: {@link #receive()} returns {@code null} and {@link
 * #hasNext()} returns {@code false}. No thread is used: each handle pushes itself into the channel
 * when it completes, so a consumer that stops early, or is interrupted, leaves nothing blocked.
 * {@link #close()} (or closing {@link #stream()}) detaches the channel from the handles.
 *
 * <p>Why our own type rather than a {@link java.util.concurrent.BlockingQueue}: a queue cannot say
 * "finished", so the consumer would need a count or a poison value; and a bounded queue would make
 * the completing task's thread block on a slow consumer. The channel is unbounded (it holds at most
 * the handles it was given) and knows when it is finished.
 *
 * <pre>{@code
 * try (CompletionChannel<ResultCapture<Quote>> quotes = Results.inCompletionOrder(captures)) {
 *   for (ResultCapture<Quote> q : (Iterable<ResultCapture<Quote>>) () -> quotes) {
 *     if (q.state() == TaskState.SUCCEEDED) return q.result(); // the fastest good quote
 *   }
 * }
 * }</pre>
 *
 * @param <H> the handle type
 */
public final class CompletionChannel<H extends ResultBase<?>>
    implements Iterator<H>, AutoCloseable {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final ArrayDeque<H> ready = new ArrayDeque<>();
  private final ArrayDeque<Armed> callbacks = new ArrayDeque<>();
  private int undelivered;
  private boolean closed;

  CompletionChannel(Iterable<? extends H> handles) {
    Objects.requireNonNull(handles, "handles");
    for (H h : handles) {
      Objects.requireNonNull(h, "handles contains null");
      lock.lock();
      try {
        undelivered++;
      } finally {
        lock.unlock();
      }
      Object token = h.armCallback(new Arrival(h));
      if (token == null) {
        offer(h);
      } else {
        callbacks.add(new Armed(h, token));
      }
    }
  }

  /** A callback this channel registered on a handle. */
  private record Armed(ResultBase<?> handle, Object token) {}

  /**
   * A handle's place in the channel: taken while the handle is completing, before anyone can see it
   * done, so the channel's order is the order in which its handles became done even when one
   * completion causes the next; the consumer is woken once the handle is done.
   */
  private final class Arrival implements ResultBase.OrderedCallback {
    private final H handle;

    Arrival(H handle) {
      this.handle = handle;
    }

    @Override
    public void completing() {
      lock.lock();
      try {
        if (!closed) {
          ready.addLast(handle);
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void run() {
      lock.lock();
      try {
        arrived.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** A handle that was done before the channel could register its callback. */
  private void offer(H handle) {
    lock.lock();
    try {
      if (!closed) {
        ready.addLast(handle);
        arrived.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether the first handle in line is done: a handle has its place shortly before it is. */
  private boolean hasReadyLocked() {
    H first = ready.peekFirst();
    return first != null && first.isDone();
  }

  /**
   * The next handle to complete, waiting for it if needed; {@code null} once every handle was
   * delivered (or the channel was closed).
   *
   * @throws InterruptedException if interrupted while waiting; the channel stays usable
   */
  public @Nullable H receive() throws InterruptedException {
    lock.lock();
    try {
      while (!hasReadyLocked() && undelivered > 0 && !closed) {
        arrived.await();
      }
      return takeLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Like {@link #receive()}, waiting at most {@code timeout}: {@code null} if nothing completed in
   * time or the channel is finished (tell them apart with {@link #isFinished()}).
   */
  public @Nullable H receive(Duration timeout) throws InterruptedException {
    long nanos = ResultBase.saturatedNanos(Objects.requireNonNull(timeout, "timeout"));
    lock.lock();
    try {
      while (!hasReadyLocked() && undelivered > 0 && !closed) {
        if (nanos <= 0) {
          return null;
        }
        nanos = arrived.awaitNanos(nanos);
      }
      return takeLocked();
    } finally {
      lock.unlock();
    }
  }

  private @Nullable H takeLocked() {
    if (closed || !hasReadyLocked()) {
      return null;
    }
    undelivered--;
    return ready.pollFirst();
  }

  /** Whether every handle has been delivered, or the channel was closed. */
  public boolean isFinished() {
    lock.lock();
    try {
      return closed || undelivered == 0;
    } finally {
      lock.unlock();
    }
  }

  /** How many handles have not been delivered yet. */
  public int remaining() {
    lock.lock();
    try {
      return closed ? 0 : undelivered;
    } finally {
      lock.unlock();
    }
  }

  /** Whether another handle will be delivered. Never blocks. */
  @Override
  public boolean hasNext() {
    return !isFinished();
  }

  /**
   * The next handle to complete, waiting for it if needed.
   *
   * @throws NoSuchElementException if the channel is finished
   * @throws TaskCancelledException if interrupted while waiting (the interrupt status is set)
   */
  @Override
  public H next() {
    H h;
    try {
      h = receive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskCancelledException("interrupted while waiting for the next handle", e);
    }
    if (h == null) {
      throw new NoSuchElementException("every handle has been delivered");
    }
    return h;
  }

  /** The remaining handles in completion order, as a sequential stream that closes this channel. */
  public Stream<H> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(this::close);
  }

  /** Stops delivery and detaches from the handles still pending. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      ready.clear();
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    for (Armed armed : callbacks) {
      armed.handle.disarm(armed.token);
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "CompletionChannel[ready="
          + ready.size()
          + ", undelivered="
          + undelivered
          + (closed ? ", closed" : "")
          + "]";
    } finally {
      lock.unlock();
    }
  }
}
