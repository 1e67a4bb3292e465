package io.github.loomresult.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.loomresult.Nursery;
import io.github.loomresult.NurseryFailedException;
import io.github.loomresult.NurseryTimeoutException;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.Results;
import io.github.loomresult.TaskState;
import io.github.loomresult.example.FaultPlan.Mix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault runs: fan-outs of thousands of calls through the generated facades and through {@code
 * startSoon}, against a server that resets connections, cuts bodies short, trickles them, answers
 * 5xx and hangs, per SKU from a seeded {@link FaultPlan}. Every run checks that every call ends in
 * the state its fault implies ({@link FaultOracle}), that the nursery reports what the semantics
 * say, and that nothing is left: no task thread, no request or handler on the server, no connection
 * the server still holds, and the HTTP client closed.
 *
 * <p>No sleeps: hanging calls end by the run's own cancellation (a failure, {@code cancel()} once
 * every other call has ended and every hang has reached the server, or a deadline), and the server
 * notices each closed connection by writing to it. Deadline runs check that the deadline came after
 * every other call had ended; if the machine was too slow for that, they run again with a longer
 * deadline (3 times longer, at most twice), so the check stays exact.
 *
 * <p>Sizes and seeds: system properties {@code loomresult.faults.calls} (fan-outs without a limit,
 * default 2,000), {@code loomresult.faults.limitedCalls} (with {@code maxAtOnce}, default 2,000)
 * and {@code loomresult.faults.seeds} (comma-separated, default {@code 20261121}); the {@code
 * stress} profile of this module raises them (see docs/RELIABILITY.md).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FaultRunTest extends ShopTest {
  private static final int CALLS = Integer.getInteger("loomresult.faults.calls", 2000);
  private static final int LIMITED_CALLS =
      Integer.getInteger("loomresult.faults.limitedCalls", 2000);
  private static final int MAX_AT_ONCE = 64;

  private String run = "";
  private long startNanos;

  @BeforeEach
  void nameTheRun(TestInfo test) {
    run = test.getTestMethod().map(m -> m.getName()).orElse("?") + " " + test.getDisplayName();
    startNanos = System.nanoTime();
  }

  static Stream<Long> seeds() {
    return Arrays.stream(System.getProperty("loomresult.faults.seeds", "20261121").split(","))
        .map(String::strip)
        .map(Long::parseLong);
  }

  // ---- per-call handles through the facade of a suppressException service ----------------------

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void perCallHandlesKeepTheirOwnFailuresAndHangsEndByCancel(long seed) throws Exception {
    FaultPlan plan = new FaultPlan(seed, CALLS, Mix.ALL, Integer.MAX_VALUE);
    server.plan(plan);
    List<ResultCapture<Product>> handles = new ArrayList<>();

    Nursery.runVoid(n -> {
      ConcurrentPriceService prices = ConcurrentPriceService.of(n, catalog);
      plan.skus().forEach(sku -> handles.add(prices.price(sku)));
      Results.waitAll(plan.endingIds().stream().map(handles::get).toList());
      plan.awaitHangsArrived();
      n.cancel(); // ends the hangs; the nursery then returns normally (N8)
    });

    FaultOracle oracle = new FaultOracle(plan);
    checkEveryHandle(oracle, handles, false);
    checkNothingLeft(plan, oracle, states(handles));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void perCallHandlesUnderMaxAtOnceEndByAMoveOnDeadline(long seed) throws Exception {
    FaultPlan plan = null;
    List<ResultCapture<Product>> handles = null;
    Boolean inTime = null;
    for (Duration deadline : deadlines(LIMITED_CALLS)) {
      plan = new FaultPlan(seed, LIMITED_CALLS, Mix.ALL, MAX_AT_ONCE / 4);
      FaultPlan p = plan;
      server.plan(p);
      List<ResultCapture<Product>> hs = new ArrayList<>();
      handles = hs;
      inTime =
          Nursery.builder()
              .maxAtOnce(MAX_AT_ONCE)
              .timeout(deadline)
              .moveOnTimeout()
              .run(n -> {
                ConcurrentPriceService prices = ConcurrentPriceService.of(n, catalog);
                p.skus().forEach(sku -> hs.add(prices.price(sku)));
                Results.waitAll(p.endingIds().stream().map(hs::get).toList());
                p.awaitHangsArrived();
                return true; // the hangs keep the nursery open until the deadline
              });
      if (inTime != null || deadline.equals(lastDeadline(LIMITED_CALLS))) {
        break;
      }
      restartShop(); // too slow for this deadline: again with a longer one
    }
    assertEquals(Boolean.TRUE, inTime, "the deadline came before the other calls ended");

    FaultOracle oracle = new FaultOracle(plan);
    checkEveryHandle(oracle, handles, false);
    checkNothingLeft(plan, oracle, states(handles));
  }

  // ---- startSoon: fail-fast --------------------------------------------------------------------

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void startSoonFanOutFailsFastAndReportsEveryRealFailure(long seed) throws Exception {
    runFailFast(new FaultPlan(seed, CALLS, Mix.ALL, Integer.MAX_VALUE), Nursery.builder());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void startSoonFanOutUnderMaxAtOnceFailsFast(long seed) throws Exception {
    runFailFast(
        new FaultPlan(seed, LIMITED_CALLS, Mix.ALL, MAX_AT_ONCE / 4),
        Nursery.builder().maxAtOnce(MAX_AT_ONCE));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void startSoonFanOutUnderMaxAtOnceFailsFastLateInTheRun(long seed) throws Exception {
    // Calls start in input order under the limit: the first 90% have no failure, so most of them
    // succeed, then the first failure cancels the calls in flight and withdraws the queued ones.
    runFailFast(
        new FaultPlan(seed, LIMITED_CALLS, Mix.ALL, MAX_AT_ONCE / 4, LIMITED_CALLS * 9 / 10),
        Nursery.builder().maxAtOnce(MAX_AT_ONCE));
  }

  private void runFailFast(FaultPlan plan, Nursery.Builder nursery) throws Exception {
    server.plan(plan);
    List<ResultCapture<Product>> handles = new ArrayList<>();

    NurseryFailedException failed =
        assertThrows(
            NurseryFailedException.class,
            () ->
                nursery.runVoid(n -> {
                  for (String sku : plan.skus()) {
                    handles.add(n.startSoon(sku, () -> catalog.lookup(sku)));
                  }
                }));

    FaultOracle oracle = new FaultOracle(plan);
    checkEveryHandle(oracle, handles, true);
    // N5: the failures are exactly the exceptions kept in the failed handles, each once, the
    // first one primary and the others attached; cancelled calls are not failures.
    Set<Throwable> kept = identitySet();
    handles.stream()
        .filter(h -> h.state() == TaskState.FAILED)
        .forEach(h -> kept.add(h.exception()));
    checkReport(oracle, failed, kept);
    checkNothingLeft(plan, oracle, states(handles));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void startSoonFanOutWithHangsFailsOnTheDeadline(long seed) throws Exception {
    FaultPlan plan = null;
    List<ResultCapture<Product>> handles = null;
    AtomicBoolean inTime = new AtomicBoolean();
    for (Duration deadline : deadlines(CALLS)) {
      plan = new FaultPlan(seed, CALLS, Mix.NO_FAILURES, Integer.MAX_VALUE);
      FaultPlan p = plan;
      server.plan(p);
      List<ResultCapture<Product>> hs = new ArrayList<>();
      handles = hs;
      assertThrows(
          NurseryTimeoutException.class,
          () ->
              Nursery.builder()
                  .timeout(deadline)
                  .runVoid(n -> {
                    for (String sku : p.skus()) {
                      hs.add(n.startSoon(sku, () -> catalog.lookup(sku)));
                    }
                    Results.waitAll(p.endingIds().stream().map(hs::get).toList());
                    p.awaitHangsArrived();
                    inTime.set(true);
                  }));
      if (inTime.get() || deadline.equals(lastDeadline(CALLS))) {
        break;
      }
      restartShop();
    }
    assertTrue(inTime.get(), "the deadline came before the other calls ended");

    FaultOracle oracle = new FaultOracle(plan);
    checkEveryHandle(oracle, handles, false);
    checkNothingLeft(plan, oracle, states(handles));
  }

  // ---- gather methods of the facades -----------------------------------------------------------

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void gatherFailsFastWithItsFailuresNestedOnce(long seed) throws Exception {
    FaultPlan plan = new FaultPlan(seed, CALLS, Mix.ALL, Integer.MAX_VALUE);
    runFailingGather(
        plan, n -> ConcurrentProductCatalog.of(n, catalog).lookupAllByString(plan.skus()));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void gatherUnderMaxAtOnceFailsFastWithItsFailuresNestedOnce(long seed) throws Exception {
    FaultPlan plan = new FaultPlan(seed, LIMITED_CALLS, Mix.ALL, MAX_AT_ONCE / 4);
    runFailingGather(
        plan,
        n -> ConcurrentProductCatalog.of(n, catalog).lookupAllByString(plan.skus(), MAX_AT_ONCE));
  }

  @FunctionalInterface
  private interface Gather {
    ResultCapture<List<Product>> start(Nursery n);
  }

  private void runFailingGather(FaultPlan plan, Gather gather) throws Exception {
    server.plan(plan);
    List<ResultCapture<List<Product>>> handle = new ArrayList<>();

    NurseryFailedException failed =
        assertThrows(
            NurseryFailedException.class, () -> Nursery.runVoid(n -> handle.add(gather.start(n))));

    ResultCapture<List<Product>> all = handle.get(0);
    assertEquals(TaskState.FAILED, all.state());
    assertEquals(List.of(all.exception()), failed.failures()); // the gather's task failed, alone
    assertSame(all.exception(), failed.getCause());
    FaultOracle oracle = new FaultOracle(plan);
    Map<Integer, TaskState> states = checkGatherFailure(oracle, all.exception());
    checkNothingLeft(plan, oracle, states);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void suppressedGatherKeepsItsFailureInItsHandle(long seed) throws Exception {
    // ConcurrentPriceService: suppressException = true, maxAtOnce = 16
    FaultPlan plan = new FaultPlan(seed, LIMITED_CALLS, Mix.ALL, 4);
    server.plan(plan);

    ResultCapture<List<Product>> all =
        Nursery.run(n -> ConcurrentPriceService.of(n, catalog).priceAll(plan.skus()));

    assertEquals(TaskState.FAILED, all.state()); // and the nursery returned normally
    FaultOracle oracle = new FaultOracle(plan);
    Map<Integer, TaskState> states = checkGatherFailure(oracle, all.exception());
    checkNothingLeft(plan, oracle, states);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void gathersOfFineCallsReturnEveryValueInInputOrder(long seed) throws Exception {
    FaultPlan plan = new FaultPlan(seed, CALLS, Mix.FINE, 0);
    server.plan(plan);
    List<String> firstHalf = plan.skus().subList(0, CALLS / 2);
    List<String> secondHalf = plan.skus().subList(CALLS / 2, CALLS);

    record Both(ResultCapture<List<Product>> unlimited, ResultCapture<List<Product>> limited) {}
    Both both =
        Nursery.run(n -> {
          ConcurrentProductCatalog facade = ConcurrentProductCatalog.of(n, catalog);
          return new Both(
              facade.lookupAllByString(firstHalf),
              facade.lookupAllByString(secondHalf, MAX_AT_ONCE));
        });

    assertEquals(products(firstHalf), both.unlimited().result());
    assertEquals(products(secondHalf), both.limited().result());
    FaultOracle oracle = new FaultOracle(plan);
    Map<Integer, TaskState> states = new HashMap<>();
    for (int id = 0; id < CALLS; id++) {
      states.put(id, TaskState.SUCCEEDED);
    }
    checkNothingLeft(plan, oracle, states);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void gatherWithHangsIsCancelledByTheDeadline(long seed) throws Exception {
    FaultPlan plan = new FaultPlan(seed, CALLS, Mix.NO_FAILURES, Integer.MAX_VALUE);
    server.plan(plan);
    List<ResultCapture<List<Product>>> handle = new ArrayList<>();

    RuntimeException ended =
        assertThrows(
            RuntimeException.class,
            () ->
                Nursery.builder()
                    .timeout(Duration.ofSeconds(1))
                    .runVoid(n ->
                        handle.add(
                            ConcurrentProductCatalog.of(n, catalog)
                                .lookupAllByString(plan.skus()))));

    // Whatever had ended by then, the hangs had not: the gather has no value, it was cancelled.
    FaultOracle oracle = new FaultOracle(plan);
    Map<Integer, TaskState> states = new HashMap<>();
    if (ended instanceof NurseryFailedException failed) {
      // Not what the semantics say; the failures name the calls, the server log shows them.
      oracle.check(false, "the deadline run failed: " + failed);
      states = checkGatherFailure(oracle, failed.getCause());
    } else {
      assertInstanceOf(NurseryTimeoutException.class, ended);
      assertEquals(TaskState.CANCELLED, handle.get(0).state());
    }
    checkNothingLeft(plan, oracle, states);
  }

  // ---- checks ----------------------------------------------------------------------------------

  private static void checkEveryHandle(
      FaultOracle oracle, List<ResultCapture<Product>> handles, boolean othersMayBeCancelled) {
    for (int id = 0; id < handles.size(); id++) {
      oracle.checkHandle(id, handles.get(id), othersMayBeCancelled);
    }
  }

  /**
   * A gather's failure: a {@link NurseryFailedException} whose failures are each the planned
   * exception of a distinct failing call (the first one primary). Returns those calls as {@code
   * FAILED}, for the server log check.
   */
  private static Map<Integer, TaskState> checkGatherFailure(FaultOracle oracle, Throwable failure) {
    NurseryFailedException gather = assertInstanceOf(NurseryFailedException.class, failure);
    Map<Integer, TaskState> states = new HashMap<>();
    for (Throwable f : gather.failures()) {
      int id = FaultOracle.idOf(f);
      oracle.check(id >= 0, "a failure of no planned call: " + f);
      if (id >= 0) {
        oracle.check(states.put(id, TaskState.FAILED) == null, "two failures of one call: " + f);
        oracle.checkException(id, f);
      }
    }
    checkReport(oracle, gather, identitySet(gather.failures()));
    return states;
  }

  /** N5: {@code failed} reports exactly {@code kept}, each once, the first primary. */
  private static void checkReport(
      FaultOracle oracle, NurseryFailedException failed, Set<Throwable> kept) {
    List<Throwable> failures = failed.failures();
    oracle.check(!failures.isEmpty(), "no failure reported");
    oracle.check(
        identitySet(failures).size() == failures.size(), "a failure reported twice: " + failures);
    oracle.check(
        identitySet(failures).equals(kept),
        "reported " + failures.size() + " failures, the handles keep " + kept.size());
    oracle.check(failed.getCause() == failures.get(0), "the cause is not the first failure");
    oracle.check(
        List.of(failed.getSuppressed()).equals(failures.subList(1, failures.size())),
        "the other failures are not the suppressed ones");
  }

  /**
   * Nothing is left of the run: no request or handler on the server once the silent hangs may
   * notice that their clients are gone (a cancelled call closed its connection), no task thread
   * (the nursery has returned: N2), the HTTP client closed and terminated, no connection the server
   * still holds, and a server log that agrees with the plan and the calls' states.
   */
  private void checkNothingLeft(FaultPlan plan, FaultOracle oracle, Map<Integer, TaskState> states)
      throws InterruptedException {
    long ran = System.nanoTime();
    plan.release();
    server
        .stats()
        .require(
            s -> s.inFlight() == 0 && s.running() == 0,
            "every request of " + plan + " has ended on the server");
    // Only now, with the server's handler threads gone: a JSON thread dump taken while thousands
    // of virtual threads come and go crashed the JVM once (JDK 25.0.3; docs/RELIABILITY.md,
    // "Known limits").
    assertEquals(
        List.of(),
        LiveThreads.names().stream().filter(name -> name.contains("/")).toList(),
        "task threads alive after the nursery returned");
    long serverDone = System.nanoTime();
    closeClient();
    long closed = System.nanoTime();
    TcpConnections.awaitNoneOpen(server.port());
    server.stats().require(s -> s.running() == 0, "no handler runs once no connection is open");
    List<ServerStats.Served> log = server.stats().log();
    oracle.checkServerLog(log, states);
    oracle.assertNone();
    // One line per run, for docs/RELIABILITY.md and for a reader of the build log.
    System.out.printf(
        Locale.ROOT,
        "FaultRunTest: %s: %s; calls %s; server %s; %d ms (run %d, server idle %d, client"
            + " close %d, connections closed %d)%n",
        run,
        plan,
        count(states.values(), s -> s),
        count(log, ServerStats.Served::end),
        millis(startNanos, System.nanoTime()),
        millis(startNanos, ran),
        millis(ran, serverDone),
        millis(serverDone, closed),
        millis(closed, System.nanoTime()));
  }

  /**
   * Closes the HTTP client as {@code close()} does (shutdown, then wait for its requests), but
   * after 10 s aborts what is left with {@code shutdownNow()}: after a mass cancellation the JDK's
   * client sometimes keeps a cancelled request pending until that request's own timeout (60 s
   * here), although its caller has long returned and the server has seen the connection close
   * (docs/RELIABILITY.md, "Fault runs"). Says so in the log when it happens. Either way the client
   * must terminate.
   */
  private void closeClient() throws InterruptedException {
    http.shutdown();
    if (!http.awaitTermination(Duration.ofSeconds(10))) {
      System.out.println(
          "FaultRunTest: " + run + ": the HTTP client still had requests 10 s after shutdown()");
      http.shutdownNow();
      http.awaitTermination(Duration.ofSeconds(20));
    }
    assertTrue(http.isTerminated(), "the HTTP client did not terminate");
  }

  private static long millis(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1_000_000;
  }

  private static <T, K> Map<K, Long> count(Collection<T> items, Function<T, K> key) {
    return items.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
  }

  private static Map<Integer, TaskState> states(List<ResultCapture<Product>> handles) {
    Map<Integer, TaskState> states = new HashMap<>();
    for (int id = 0; id < handles.size(); id++) {
      states.put(id, handles.get(id).state());
    }
    return states;
  }

  private static Set<Throwable> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }

  private static Set<Throwable> identitySet(List<Throwable> items) {
    Set<Throwable> set = identitySet();
    set.addAll(items);
    return set;
  }

  /**
   * The deadlines to try for a run of {@code calls}: long enough for the calls that end on a loaded
   * 2-core machine (4 s, or 1 ms per call if more), then 3 and 9 times that.
   */
  private static List<Duration> deadlines(int calls) {
    Duration first = Duration.ofMillis(Math.max(4000, calls));
    return List.of(first, first.multipliedBy(3), first.multipliedBy(9));
  }

  private static Duration lastDeadline(int calls) {
    return deadlines(calls).get(2);
  }

  /** A fresh server and client, for another attempt with a longer deadline. */
  private void restartShop() throws Exception {
    System.out.println(
        "FaultRunTest: the deadline came first on this machine; again, 3 times longer");
    stopShop();
    startShop();
  }

  static {
    // Fault runs are long; say which one runs, for a reader of the build log.
    System.out.println(
        "FaultRunTest: calls="
            + CALLS
            + ", limitedCalls="
            + LIMITED_CALLS
            + ", seeds="
            + System.getProperty("loomresult.faults.seeds", "20261121"));
  }
}
