package io.github.loomresult.example;

import io.github.loomresult.ResultBase;
import io.github.loomresult.TaskCancelledException;
import io.github.loomresult.TaskState;
import io.github.loomresult.example.FaultPlan.Fault;
import io.github.loomresult.example.ServerStats.End;
import io.github.loomresult.example.ServerStats.Served;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a fault run must end with, call by call, given its {@link FaultPlan}: the state of each
 * handle, the exception it keeps, and what the server logged for each request. Collects every
 * violation (the first {@value #SHOWN} are shown) instead of stopping at the first.
 */
final class FaultOracle {
  private static final int SHOWN = 20;

  private final FaultPlan plan;
  private final List<String> violations = new ArrayList<>();

  FaultOracle(FaultPlan plan) {
    this.plan = plan;
  }

  /** Records a violation unless {@code ok}. */
  void check(boolean ok, String violation) {
    if (!ok) {
      violations.add(violation);
    }
  }

  /** Fails with every violation found, naming the plan (its seed reproduces the run). */
  void assertNone() {
    if (!violations.isEmpty()) {
      throw new AssertionError(
          violations.size()
              + " violations in "
              + plan
              + ":\n  "
              + String.join("\n  ", violations.subList(0, Math.min(SHOWN, violations.size()))));
    }
  }

  /**
   * The handle of SKU {@code id}'s call: done, and in the state its fault implies. A call that does
   * not hang may also be {@code CANCELLED} if {@code othersMayBeCancelled} (a failure or a deadline
   * cancelled the run); a hanging call is always {@code CANCELLED}.
   */
  void checkHandle(int id, ResultBase<Product> handle, boolean othersMayBeCancelled) {
    Fault fault = plan.fault(id);
    String what = FaultPlan.sku(id) + " (" + fault + ")";
    if (!handle.isDone()) {
      violations.add(what + " not done: " + handle);
      return;
    }
    TaskState state = handle.state();
    switch (state) {
      case SUCCEEDED -> {
        check(fault == Fault.VALUE || fault == Fault.SLOW_BODY, what + " succeeded: " + handle);
        check(
            Product.forSku(FaultPlan.sku(id)).equals(handle.result()),
            what + " has the wrong value: " + handle.result());
      }
      case FAILED -> {
        check(fault.fails(), what + " failed: " + handle.exception());
        if (fault.fails()) {
          checkException(id, handle.exception());
        }
      }
      case CANCELLED -> {
        check(fault.hangs() || othersMayBeCancelled, what + " was cancelled: " + handle);
        check(
            handle.exception() instanceof TaskCancelledException,
            what + " cancelled without a TaskCancelledException: " + handle.exception());
      }
      default -> violations.add(what + " ended in state " + state);
    }
  }

  /** {@code failure} is the exception SKU {@code id}'s planned fault gives, naming its request. */
  void checkException(int id, Throwable failure) {
    Fault fault = plan.fault(id);
    String what = FaultPlan.sku(id) + " (" + fault + ")";
    switch (fault) {
      case ERROR_STATUS -> {
        if (failure instanceof HttpStatusException e) {
          check(e.status() == FaultPlan.status(id), what + " has status " + e.status());
          check(idOf(e.uri()) == id, what + " names " + e.uri());
        } else {
          violations.add(what + " failed with " + failure);
        }
      }
      case RESET, TRUNCATED -> {
        if (failure instanceof HttpConnectionException e) {
          check(
              e.responseStarted() == (fault == Fault.TRUNCATED),
              what + " responseStarted=" + e.responseStarted());
          check(idOf(e.uri()) == id, what + " names " + e.uri());
        } else {
          violations.add(what + " failed with " + failure);
        }
      }
      default -> violations.add(what + " should not fail, but failed with " + failure);
    }
  }

  /** The SKU id a failure of this plan's calls names, or -1. */
  static int idOf(Throwable failure) {
    return switch (failure) {
      case HttpStatusException e -> idOf(e.uri());
      case HttpConnectionException e -> idOf(e.uri());
      default -> -1;
    };
  }

  private static int idOf(URI uri) {
    return FaultPlan.id(uri.getPath());
  }

  /**
   * The server's log agrees with the plan and with how each call ended ({@code states}, by id;
   * {@code null} where the handle is not known, as inside a gather): no request the plan does not
   * know, none cut off by the server closing, and per SKU:
   *
   * <ul>
   *   <li>a call that {@code SUCCEEDED} or failed with a status or a truncated body: exactly one
   *       request, answered in full (truncated for a truncated body);
   *   <li>a call that failed with a reset: one or two requests (the JDK's client retries a GET once
   *       when a pooled connection ends before any byte of response), all reset;
   *   <li>otherwise (cancelled, or unknown): at most one request (two for a reset), each ended in a
   *       way its fault allows: a hang only ever {@code ABANDONED} (its client went away).
   * </ul>
   */
  void checkServerLog(List<Served> log, Map<Integer, TaskState> states) {
    Map<Integer, List<End>> byId = new HashMap<>();
    for (Served s : log) {
      int id = FaultPlan.id(s.path());
      if (id < 0 || id >= plan.calls()) {
        violations.add("request the plan does not know: " + s);
        continue;
      }
      byId.computeIfAbsent(id, k -> new ArrayList<>()).add(s.end());
    }
    for (int id = 0; id < plan.calls(); id++) {
      Fault fault = plan.fault(id);
      List<End> ends = byId.getOrDefault(id, List.of());
      TaskState state = states.get(id);
      String what = FaultPlan.sku(id) + " (" + fault + ", " + state + ") server saw " + ends;
      Set<End> allowed = allowedEnds(fault);
      check(allowed.containsAll(ends), what);
      check(ends.size() <= (fault == Fault.RESET ? 2 : 1), what);
      check(
          ends.size() == plan.arrivals(id), what + " but the plan was asked " + plan.arrivals(id));
      if (state == TaskState.SUCCEEDED || state == TaskState.FAILED) {
        check(!ends.isEmpty(), what);
        End expected =
            switch (fault) {
              case RESET -> End.RESET;
              case TRUNCATED -> End.TRUNCATED;
              default -> End.ANSWERED;
            };
        check(ends.stream().allMatch(e -> e == expected), what);
      }
    }
  }

  private static Set<End> allowedEnds(Fault fault) {
    return switch (fault) {
      case VALUE, SLOW_BODY, ERROR_STATUS -> EnumSet.of(End.ANSWERED, End.ABANDONED);
      case RESET -> EnumSet.of(End.RESET);
      case TRUNCATED -> EnumSet.of(End.TRUNCATED, End.ABANDONED);
      case HANG, SILENT_HANG -> EnumSet.of(End.ABANDONED);
    };
  }
}
