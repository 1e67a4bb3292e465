package io.github.loomresult.example;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;

/**
 * A seeded plan of faults for a fan-out of {@code calls} lookups of {@code SKU-0} to {@code
 * SKU-<calls-1>}: the fault of each SKU is drawn once, from the seed, when the plan is made, so a
 * run's outcome can be checked call by call ({@link FaultOracle}), and a failing seed reproduces.
 * The server asks it per request, by path; a retried request gets the same fault.
 *
 * <pre>{@code
 * FaultPlan plan = new FaultPlan(seed, 3000, FaultPlan.Mix.ALL, Integer.MAX_VALUE);
 * server.plan(plan);
 * ...
 * plan.release(); // the silent hangs start noticing that their clients are gone
 * }</pre>
 */
final class FaultPlan implements ShopServer.Plan {
  /** What the server does with one SKU's request. */
  enum Fault {
    /** Answers at once. */
    VALUE,
    /** Answers with the body trickled in pieces of 4 bytes, 1 ms apart. */
    SLOW_BODY,
    /** Answers with a 5xx status: {@code 500 + id % 5}. */
    ERROR_STATUS,
    /** Closes the connection without a response. */
    RESET,
    /** Announces the whole body, sends half of it, closes the connection. */
    TRUNCATED,
    /** Sends the headers, then only heartbeats: never ends by itself. */
    HANG,
    /** Sends nothing until {@link #release()}, then heartbeats: never ends by itself. */
    SILENT_HANG;

    /** Whether the call fails with an exception of its own. */
    boolean fails() {
      return this == ERROR_STATUS || this == RESET || this == TRUNCATED;
    }

    /** Whether the call only ends by being cancelled. */
    boolean hangs() {
      return this == HANG || this == SILENT_HANG;
    }
  }

  /**
   * Relative weights of the faults.
   *
   * @param weights one per {@link Fault}, in declaration order
   */
  record Mix(int... weights) {
    /** Every fault: most calls fine, a few of each kind of trouble. */
    static final Mix ALL = new Mix(80, 5, 4, 4, 4, 2, 1);

    /** No failing call, but hangs: the run ends by a deadline or a cancel. */
    static final Mix NO_FAILURES = new Mix(85, 10, 0, 0, 0, 3, 2);

    /** Failing calls, no hangs. */
    static final Mix NO_HANGS = new Mix(85, 5, 4, 3, 3, 0, 0);

    /** Fine calls only (some with slow bodies). */
    static final Mix FINE = new Mix(90, 10, 0, 0, 0, 0, 0);

    Mix {
      if (weights.length != Fault.values().length) {
        throw new IllegalArgumentException("one weight per fault");
      }
      weights = weights.clone();
    }
  }

  static final Duration HEARTBEAT = Duration.ofMillis(20);
  private static final Duration TRICKLE_PAUSE = Duration.ofMillis(1);

  private final long seed;
  private final Fault[] faults;
  private final Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch hangsArrived;
  private final AtomicIntegerArray arrivals;

  /**
   * Draws the faults of {@code calls} SKUs from {@code seed}; at most {@code maxHangs} of them hang
   * (a drawn hang beyond that becomes a {@link Fault#VALUE}).
   */
  FaultPlan(long seed, int calls, Mix mix, int maxHangs) {
    this(seed, calls, mix, maxHangs, 0);
  }

  /**
   * Like {@link #FaultPlan(long, int, Mix, int)}, with no failing call before SKU {@code
   * firstFailing} (a failure drawn for one becomes a {@link Fault#VALUE}): under a limit, which
   * starts calls in input order, most calls then end before the first failure cancels the rest.
   */
  FaultPlan(long seed, int calls, Mix mix, int maxHangs, int firstFailing) {
    this.seed = seed;
    this.faults = new Fault[calls];
    this.arrivals = new AtomicIntegerArray(calls);
    int total = IntStream.of(mix.weights()).sum();
    SplittableRandom random = new SplittableRandom(seed);
    int hangs = 0;
    for (int id = 0; id < calls; id++) {
      int draw = random.nextInt(total);
      Fault fault = Fault.values()[0];
      for (Fault f : Fault.values()) {
        draw -= mix.weights()[f.ordinal()];
        if (draw < 0) {
          fault = f;
          break;
        }
      }
      if (fault.hangs() && hangs++ >= maxHangs || fault.fails() && id < firstFailing) {
        fault = Fault.VALUE;
      }
      faults[id] = fault;
      counts.merge(fault, 1, Integer::sum);
    }
    this.hangsArrived = new CountDownLatch(count(Fault.HANG) + count(Fault.SILENT_HANG));
  }

  long seed() {
    return seed;
  }

  int calls() {
    return faults.length;
  }

  Fault fault(int id) {
    return faults[id];
  }

  int count(Fault fault) {
    return counts.getOrDefault(fault, 0);
  }

  /** The SKUs in input order: {@code SKU-0}, {@code SKU-1}, ... */
  List<String> skus() {
    return IntStream.range(0, faults.length).mapToObj(FaultPlan::sku).toList();
  }

  /** The ids whose calls end without being cancelled. */
  List<Integer> endingIds() {
    List<Integer> ids = new ArrayList<>();
    for (int id = 0; id < faults.length; id++) {
      if (!faults[id].hangs()) {
        ids.add(id);
      }
    }
    return ids;
  }

  static String sku(int id) {
    return "SKU-" + id;
  }

  /** The id of a {@code /products/SKU-<id>} path, or -1. */
  static int id(String path) {
    String prefix = "/products/SKU-";
    if (!path.startsWith(prefix)) {
      return -1;
    }
    try {
      return Integer.parseInt(path.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static int status(int id) {
    return 500 + id % 5;
  }

  /** How many times the server was asked about {@code id}'s request so far. */
  int arrivals(int id) {
    return arrivals.get(id);
  }

  /** Lets the silent hangs write heartbeats, so they notice that their clients are gone. */
  void release() {
    release.countDown();
  }

  /** Waits until every hanging request has reached the server. */
  void awaitHangsArrived() throws InterruptedException {
    if (!hangsArrived.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          hangsArrived.getCount() + " hanging requests did not reach the server");
    }
  }

  @Override
  public Reply reply(ShopServer.Request request) {
    int id = id(request.path());
    if (id < 0 || id >= faults.length) {
      return Reply.fail(404);
    }
    Fault fault = faults[id];
    if (arrivals.getAndIncrement(id) == 0 && fault.hangs()) {
      hangsArrived.countDown();
    }
    return switch (fault) {
      case VALUE -> Reply.ok();
      case SLOW_BODY -> Reply.trickle(4, TRICKLE_PAUSE);
      case ERROR_STATUS -> Reply.fail(status(id));
      case RESET -> Reply.reset();
      case TRUNCATED -> Reply.truncated();
      case HANG -> Reply.hang(HEARTBEAT);
      case SILENT_HANG -> Reply.silentHang(release, HEARTBEAT);
    };
  }

  @Override
  public String toString() {
    return "FaultPlan[seed=" + seed + ", calls=" + faults.length + ", " + counts + "]";
  }
}
