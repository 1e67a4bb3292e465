package io.github.loomresult.example;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * What {@link ShopServer} has seen, counted on the server side: requests in flight (and the most at
 * once), requests answered in full, requests whose client went away before the answer, handler
 * threads still running, and a log of how every request ended ({@link #log()}).
 *
 * <p>Every change wakes {@link #awaitUntil}, which is how tests and {@link ShopServer.Plan}s do
 * handshakes with the server instead of sleeping:
 *
 * <pre>{@code
 * server.plan(request -> {
 *   server.stats().awaitUntil(s -> s.inFlight() == 8, Duration.ofSeconds(10)); // all 8 are here
 *   return Reply.ok();
 * });
 * }</pre>
 */
public final class ServerStats {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  // Guarded by lock.
  private int arrived;
  private int inFlight;
  private int peakInFlight;
  private int answered;
  private int abandoned;
  private int running;
  private final List<Long> arrivalNanos = new ArrayList<>();
  private final List<Served> log = new ArrayList<>();

  /** How the server ended one request. */
  public enum End {
    /** Answered in full (with any status) and the exchange closed normally. */
    ANSWERED,
    /** Closed the connection without a response, as {@link Reply#reset()} says. */
    RESET,
    /** Closed the connection after part of the body, as {@link Reply#truncated()} says. */
    TRUNCATED,
    /** The client closed the connection before the answer was complete. */
    ABANDONED,
    /** The server was closing; the request was cut off. */
    DROPPED
  }

  /**
   * One request, once its handler has ended.
   *
   * @param index the request's arrival number, from 0
   * @param method the HTTP method
   * @param path the request path
   * @param reply what the plan said ({@code null} if the plan threw: the client saw a 500)
   * @param end what happened
   */
  public record Served(int index, String method, String path, Reply reply, End end) {}

  ServerStats() {}

  /** Requests received so far. */
  public int arrived() {
    return read(() -> arrived);
  }

  /** Requests received and neither answered nor abandoned yet. */
  public int inFlight() {
    return read(() -> inFlight);
  }

  /** The most requests handled at once so far. */
  public int peakInFlight() {
    return read(() -> peakInFlight);
  }

  /**
   * Requests answered (successes and error statuses alike), counted just before the answer is
   * written: a client never sees an answer that is not counted here.
   */
  public int answered() {
    return read(() -> answered);
  }

  /** Requests whose client closed the connection before they were answered. */
  public int abandoned() {
    return read(() -> abandoned);
  }

  /**
   * Handler threads that have not returned yet: a request is counted from its arrival until its
   * handler has closed the exchange (or the connection) and logged how it ended.
   */
  public int running() {
    return read(() -> running);
  }

  /** How each request ended, in the order their handlers ended. */
  public List<Served> log() {
    lock.lock();
    try {
      return List.copyOf(log);
    } finally {
      lock.unlock();
    }
  }

  /** When each request arrived, in {@link System#nanoTime()}, in arrival order. */
  public List<Long> arrivalNanos() {
    lock.lock();
    try {
      return List.copyOf(arrivalNanos);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code condition} holds for these counters, re-checking it after every change.
   *
   * @return whether it holds; {@code false} if {@code timeout} elapsed first
   */
  public boolean awaitUntil(Predicate<? super ServerStats> condition, Duration timeout)
      throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (!condition.test(this)) {
        if (remaining <= 0) {
          return false;
        }
        remaining = changed.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Like {@link #awaitUntil}, but fails with a message naming what did not happen. */
  public void require(Predicate<? super ServerStats> condition, String what)
      throws InterruptedException {
    if (!awaitUntil(condition, Duration.ofSeconds(20))) {
      throw new IllegalStateException("timed out waiting until " + what + "; server saw " + this);
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "ServerStats[arrived="
          + arrived
          + ", inFlight="
          + inFlight
          + ", peakInFlight="
          + peakInFlight
          + ", answered="
          + answered
          + ", abandoned="
          + abandoned
          + ", running="
          + running
          + ", logged="
          + log.size()
          + "]";
    } finally {
      lock.unlock();
    }
  }

  int arrive() {
    lock.lock();
    try {
      arrivalNanos.add(System.nanoTime());
      inFlight++;
      running++;
      peakInFlight = Math.max(peakInFlight, inFlight);
      changed.signalAll();
      return arrived++;
    } finally {
      lock.unlock();
    }
  }

  void answer() {
    update(() -> {
      inFlight--;
      answered++;
    });
  }

  void abandon() {
    update(() -> {
      inFlight--;
      abandoned++;
    });
  }

  void drop() {
    update(() -> inFlight--);
  }

  /** The handler of a request has ended: the last thing it does. */
  void ended(Served served) {
    update(() -> {
      log.add(served);
      running--;
    });
  }

  private void update(Runnable change) {
    lock.lock();
    try {
      change.run();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private interface IntRead {
    int get();
  }

  private int read(IntRead field) {
    lock.lock();
    try {
      return field.get();
    } finally {
      lock.unlock();
    }
  }
}
