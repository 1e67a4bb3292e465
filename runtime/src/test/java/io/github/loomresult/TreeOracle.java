package io.github.loomresult;

import static io.github.loomresult.TreeRules.bodyCancels;
import static io.github.loomresult.TreeRules.certainFailure;
import static io.github.loomresult.TreeRules.certainTaskFailure;
import static io.github.loomresult.TreeRules.mayBeCancelled;
import static io.github.loomresult.TreeRules.mayFail;
import static io.github.loomresult.TreeRules.propagates;
import static io.github.loomresult.TreeRules.shortDeadline;
import static io.github.loomresult.TreeRules.targeted;

import io.github.loomresult.NurseryTrees.Background;
import io.github.loomresult.NurseryTrees.BodyAction;
import io.github.loomresult.NurseryTrees.CancelSibling;
import io.github.loomresult.NurseryTrees.Deadline;
import io.github.loomresult.NurseryTrees.Hang;
import io.github.loomresult.NurseryTrees.InterruptOwner;
import io.github.loomresult.NurseryTrees.Nested;
import io.github.loomresult.NurseryTrees.Node;
import io.github.loomresult.NurseryTrees.Read;
import io.github.loomresult.NurseryTrees.Shield;
import io.github.loomresult.NurseryTrees.Spawn;
import io.github.loomresult.NurseryTrees.Start;
import io.github.loomresult.NurseryTrees.StartKind;
import io.github.loomresult.NurseryTrees.Swallow;
import io.github.loomresult.NurseryTrees.Task;
import io.github.loomresult.NurseryTrees.Throw;
import io.github.loomresult.NurseryTrees.Tree;
import io.github.loomresult.NurseryTrees.Value;
import io.github.loomresult.TreeRunner.Exec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Checks the record of a run ({@link TreeRunner.Exec}) against the rules (N3-N11, R5, R8, S1, S2):
 * the outcomes the tree allows (judged with {@link TreeRules}) at every level, every thrown failure
 * reported by identity where it belongs, the caller's interrupt status.
 */
final class TreeOracle {
  private TreeOracle() {}

  /** Checks the record of a run of {@code tree}; returns the violations found (empty: all good). */
  static List<String> check(Tree tree, Exec root, boolean interruptedAfter) {
    List<String> out = new ArrayList<>();
    boolean outsideRequested = tree.preInterrupt();
    if (tree.preInterrupt() && !interruptedAfter) {
      out.add("the caller was interrupted, but its interrupt status is clear after the run");
    }
    if (tree.midInterrupt()) {
      outsideRequested = checkMidRunInterrupt(root, interruptedAfter, out);
    } else if (!tree.preInterrupt() && interruptedAfter) {
      out.add("the caller's interrupt status is set after the run");
    }
    boolean outside = tree.preInterrupt() || tree.midInterrupt();
    check(root, "root", outside, outsideRequested, false, out);
    return out;
  }

  /**
   * The caller's interrupt status and the root's outcome when a task interrupted the caller
   * mid-run; returns whether the root counts as cancelled from outside. An interrupt that was sent
   * is either seen (the status is set after the run; the nursery may end with {@code
   * TaskCancelledException}, and must, if nothing of its own could cancel it) or, only where the
   * nursery cancelled itself (a failure, its deadline, its body's {@code cancel()}), taken back
   * with the library's own interrupt of the body (the one undecidable case, docs/RELIABILITY.md),
   * which the library requests before it sends: then the status is clear, the body's cancellation
   * was requested, and the outcome is the one the tree has without the interrupt.
   */
  private static boolean checkMidRunInterrupt(
      Exec root, boolean interruptedAfter, List<String> out) {
    Node node = root.node;
    Throwable threw = root.threw;
    boolean selfCancel = mayFail(node) || shortDeadline(node) || bodyCancels(node);
    if (!root.interruptSent) {
      if (!selfCancel) {
        out.add("root: nothing cancels the nursery, but the interrupter never ran");
      }
      if (interruptedAfter) {
        out.add("root: the interrupter never ran, but the caller's interrupt status is set");
      }
      return false;
    }
    if (interruptedAfter) {
      if (!selfCancel && !(threw instanceof TaskCancelledException)) {
        out.add(
            "root: the caller was interrupted mid-run, but the nursery ended with "
                + (threw != null ? threw : "a normal return"));
      }
      return true;
    }
    boolean cancelledItself =
        threw instanceof NurseryFailedException
            || threw instanceof NurseryTimeoutException
            || node.deadline() == Deadline.MOVE_ON
            || bodyCancels(node);
    if (!cancelledItself || !root.bodyCancelRequested) {
      // Only the library's own interrupt of the body, which it requests first, takes it back.
      out.add(
          "root: the caller's mid-run interrupt was lost, but the nursery ended with "
              + (threw != null ? threw : "a normal return")
              + (root.bodyCancelRequested
                  ? ", not by a cancellation of its own"
                  : " without ever asking its body to cancel"));
    }
    return false;
  }

  private static void check(
      Exec e,
      String path,
      boolean outsidePossible,
      boolean outsideRequested,
      boolean ancestorDeadline,
      List<String> out) {
    Node node = e.node;
    boolean nurseryMayCancel = mayBeCancelled(node, outsidePossible);
    boolean escapes =
        node.open() && (node.body().throwsSomething() || node.body() == BodyAction.HANG);
    Set<Throwable> expected = Collections.newSetFromMap(new IdentityHashMap<>());
    if (e.bodyThrown != null && !node.open()) {
      expected.add(e.bodyThrown);
    }
    boolean hasDeadline = node.deadline() != Deadline.NONE || ancestorDeadline;
    Boolean saw = e.sawDeadline;
    if (saw != null && saw != hasDeadline) {
      out.add(path + ": deadline() is " + (saw ? "set" : "null") + " but the tree says otherwise");
    }
    int factoryFailures = 0;
    for (int i = 0; i < node.tasks().size(); i++) {
      String where = path + "#" + i + " " + node.tasks().get(i);
      Task t = node.tasks().get(i);
      if (t instanceof Start s) {
        checkStart(where, e, i, s, nurseryMayCancel, expected, out);
        continue;
      }
      ResultCapture<?> c = e.caps[i];
      Throwable startThrew = e.startThrew[i];
      if (startThrew != null) {
        // Thrown to the body by the start call: the task never ran and is no failure of the
        // nursery (the body chose to go on).
        if (!isFactoryFailure(e, startThrew)) {
          out.add(where + ": starting it threw " + startThrew + ", not the factory's failure");
        }
        factoryFailures++;
        if (t instanceof Nested && Objects.requireNonNull(e.children[i]).ran) {
          out.add(where + ": its thread was never made, but the nested nursery ran");
        }
        continue;
      }
      if (c == null) {
        out.add(where + ": never started by the body");
        continue;
      }
      if (!c.isDone()) {
        out.add(where + ": capture not done after its nursery returned: " + c);
        continue;
      }
      if (c.state() == TaskState.FAILED && isFactoryFailure(e, c.exception())) {
        // Its thread was never made (a queued task's, reported into the nursery), or, for a
        // spawner, starting what it spawns threw, and the spawner failed with that.
        factoryFailures++;
        expected.add(Objects.requireNonNull(c.exception()));
        if (t instanceof Nested && Objects.requireNonNull(e.children[i]).ran) {
          out.add(where + ": its thread was never made, but the nested nursery ran");
        }
        continue;
      }
      if (t instanceof Spawn) {
        ResultCapture<?> child = e.spawned[i];
        if (child != null
            && child.isDone()
            && child.state() == TaskState.FAILED
            && isFactoryFailure(e, child.exception())) {
          factoryFailures++;
          expected.add(Objects.requireNonNull(child.exception()));
          expectValueOrCancelled(where, c, e.values[i], nurseryMayCancel, out);
          continue;
        }
      }
      boolean mayCancel = nurseryMayCancel || targeted(node, i);
      TaskState s = c.state();
      Throwable x = c.exception();
      if (s == TaskState.CANCELLED) {
        if (!(x instanceof TaskCancelledException)) {
          out.add(where + ": cancelled, but exception() is " + x);
        }
      }
      if (e.sawForeignThreadLocal[i]) {
        out.add(where + ": began on a thread where another task had set a ThreadLocal");
      }
      switch (t) {
        case Value v -> expectValueOrCancelled(where, c, e.values[i], mayCancel, out);
        case CancelSibling cs -> expectValueOrCancelled(where, c, e.values[i], mayCancel, out);
        case InterruptOwner o -> expectValueOrCancelled(where, c, e.values[i], mayCancel, out);
        case Swallow sw -> expectValueOrCancelled(where, c, e.values[i], true, out);
        case Hang h -> expectCancelled(where, c, out);
        case Shield sh -> {
          expectCancelled(where, c, out);
          if (e.shieldEntered[i] && (!e.shieldDone[i] || e.shieldBroken[i])) {
            out.add(where + ": the shielded section was interrupted (or did not finish)");
          }
        }
        case Throw th ->
            checkThrow(where, c, e.thrown[i], propagates(th), mayCancel, expected, out);
        case Spawn sp -> {
          expectValueOrCancelled(where, c, e.values[i], mayCancel, out);
          ResultCapture<?> child = e.spawned[i];
          String childWhere = where + "/spawned";
          if (child == null) {
            if (s == TaskState.SUCCEEDED) {
              out.add(where + ": succeeded without a capture of what it spawned");
            }
          } else if (!child.isDone()) {
            out.add(childWhere + ": capture not done after its nursery returned: " + child);
          } else {
            switch (sp.child()) {
              case Throw th ->
                  checkThrow(
                      childWhere,
                      child,
                      e.spawnThrown[i],
                      propagates(th),
                      nurseryMayCancel,
                      expected,
                      out);
              case Hang h -> expectCancelled(childWhere, child, out);
              default ->
                  expectValueOrCancelled(
                      childWhere, child, e.spawnValues[i], nurseryMayCancel, out);
            }
          }
        }
        case Background b -> {
          // A background task may always be cancelled, even before it began: that is how it ends.
          switch (b.kind()) {
            case VALUE -> expectValueOrCancelled(where, c, null, true, out);
            case HANG -> expectCancelled(where, c, out);
            case THROW -> checkThrow(where, c, e.thrown[i], true, true, expected, out);
          }
        }
        case Nested nested -> {
          Exec child = Objects.requireNonNull(e.children[i]);
          if (!child.ran) {
            if (!(s == TaskState.CANCELLED && mayCancel)) {
              out.add(where + ": nested nursery never ran, capture " + s);
            }
            break;
          }
          Throwable threw = child.threw;
          if (threw == null) {
            if (s != TaskState.SUCCEEDED || c.result() != child.returnedValue) {
              out.add(where + ": nested nursery returned but its capture is " + s);
            }
          } else if (threw instanceof TaskCancelledException) {
            if (s != TaskState.CANCELLED || !c.isCancelRequested()) {
              out.add(where + ": nested nursery threw " + threw + " but its capture is " + s);
            }
          } else if (s == TaskState.FAILED && x == threw) {
            expected.add(threw);
          } else if (!(s == TaskState.CANCELLED
              && c.isCancelRequested()
              && Cancellation.isCancellation(threw))) {
            out.add(
                where
                    + ": nested nursery threw "
                    + threw
                    + " but its capture is "
                    + s
                    + " with "
                    + x);
          }
          if (e.interruptedAfterNested[i] && !c.isCancelRequested()) {
            out.add(where + ": the task's thread is left interrupted, but nothing cancelled it");
          }
          check(child, path + "#" + i + "/", mayCancel, c.isCancelRequested(), hasDeadline, out);
        }
        case Start st -> throw new AssertionError("handled above");
      }
    }
    if (node.factory() != null && factoryFailures != (e.factoryFailed ? 1 : 0)) {
      out.add(
          path
              + ": the thread factory failed "
              + (e.factoryFailed ? "once" : "never")
              + ", but "
              + factoryFailures
              + " tasks ended with its failure");
    }
    boolean bodyCancelled = checkBodyRead(e, path, expected, out);
    // How the nursery itself ended.
    Throwable threw = e.threw;
    if (escapes) {
      checkEscaped(e, path, expected, outsideRequested, out);
      return;
    }
    if (!expected.isEmpty()) {
      checkFailed(threw, node, path, expected, out);
    } else if (threw instanceof TaskCancelledException) {
      if (!outsideRequested) {
        out.add(path + ": TaskCancelledException but nothing outside cancelled it");
      }
    } else if (threw instanceof NurseryTimeoutException) {
      if (node.deadline() != Deadline.FAIL) {
        out.add(path + ": NurseryTimeoutException without a short failing deadline");
      }
    } else if (threw != null) {
      out.add(path + ": no failure was thrown inside, but it threw " + threw);
    } else if (!e.returned) {
      out.add(path + ": neither returned nor threw");
    } else if (node.deadline() == Deadline.FAIL) {
      out.add(path + ": a nursery with a failing deadline returned normally");
    } else if (bodyCancelled) {
      if (node.deadline() != Deadline.MOVE_ON && !bodyCancels(node)) {
        out.add(path + ": the body ended cancelled, and the nursery returned normally");
      } else if (e.returnedValue != null) {
        out.add(path + ": moved on after its deadline with " + e.returnedValue + ", not null");
      }
    } else if (e.returnedValue != e.bodyValue) {
      out.add(path + ": returned " + e.returnedValue + " instead of the body's value");
    }
    if (expected.isEmpty()
        && !outsideRequested
        && certainFailure(node)
        && !(threw instanceof NurseryTimeoutException)) {
      out.add(path + ": a failure was certain but none was reported");
    }
  }

  /**
   * What a body that reads a task or waits in {@code start} let escape; returns whether the body
   * ended cancelled (a hanging body, a cancelled task's exception, a cancelled {@code start}). What
   * it rethrows from a cancelled task is not a failure of the nursery: the nursery was cancelled
   * before the task was. What it throws from a failed task is a failure of its own (a fresh object,
   * by identity).
   */
  private static boolean checkBodyRead(
      Exec e, String path, Set<Throwable> expected, List<String> out) {
    Node node = e.node;
    Throwable x = e.bodyEscaped;
    switch (node.body()) {
      case HANG -> {
        return true;
      }
      case START_CANCELLED -> {
        if (!(x instanceof TaskCancelledException)) {
          out.add(path + ": the body's start() of a task that never signals ended with " + x);
        }
        return true;
      }
      case READ -> {
        Read read = Objects.requireNonNull(node.read());
        ResultCapture<?> c = e.caps[read.target()];
        if (c == null || !c.isDone()) {
          return false; // reported with the task
        }
        String where = path + " body " + read;
        if (c.state() == TaskState.SUCCEEDED) {
          if (x != null) {
            out.add(where + ": the task succeeded, but the body threw " + x);
          }
          return false;
        }
        Throwable got = c.exception();
        boolean shaped =
            switch (read.how()) {
              case RESULT -> x instanceof TaskFailedException && x.getCause() == got;
              case EXCEPTION_RETHROWN -> x == got;
              case EXCEPTION_WRAPPED -> x instanceof IllegalStateException && x.getCause() == got;
            };
        if (!shaped) {
          out.add(
              where + ": the task ended " + c.state() + " with " + got + ", the body threw " + x);
          return false;
        }
        if (c.state() == TaskState.FAILED) {
          expected.add(Objects.requireNonNull(x));
          return false;
        }
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  /** Whether {@code x} is what the nursery's thread factory failed with. */
  private static boolean isFactoryFailure(Exec e, @Nullable Throwable x) {
    if (x == null || e.node.factory() == null) {
      return false;
    }
    Throwable thrown = e.factoryThrown;
    if (thrown != null) {
      return x == thrown;
    }
    return x instanceof RejectedExecutionException
        && String.valueOf(x.getMessage()).contains("returned null");
  }

  /**
   * The open form whose body threw: the body's own exception leaves the block, with the {@code
   * IllegalStateException} of {@code close()} (without join) attached, whose cause is the
   * NurseryFailedException of the tasks' failures, if any.
   */
  private static void checkEscaped(
      Exec e, String path, Set<Throwable> expected, boolean outsideRequested, List<String> out) {
    Node node = e.node;
    Throwable primary = node.body() == BodyAction.HANG ? e.bodyInterrupt : e.bodyThrown;
    Throwable threw = e.threw;
    if (primary == null) {
      out.add(path + ": the open-form body hung and ended without an InterruptedException");
      return;
    }
    if (threw != primary) {
      out.add(
          path + ": the open-form body threw " + primary + " but the block ended with " + threw);
      return;
    }
    List<IllegalStateException> fromClose = new ArrayList<>();
    for (Throwable sup : threw.getSuppressed()) {
      if (sup instanceof IllegalStateException ise) {
        fromClose.add(ise);
      } else {
        out.add(path + ": unexpected suppressed " + sup);
      }
    }
    if (fromClose.size() != 1) {
      out.add(path + ": expected one IllegalStateException from close(), got " + fromClose);
      return;
    }
    Throwable cause = fromClose.get(0).getCause();
    if (!expected.isEmpty()) {
      checkFailed(cause, node, path + " (close)", expected, out);
    } else if (cause != null) {
      out.add(path + ": close() reports " + cause + " but no task failure was thrown");
    } else if (!outsideRequested
        && node.body() == BodyAction.HANG // a throwing body cancels the tasks in close()
        && !shortDeadline(node)
        && certainTaskFailure(node)) {
      out.add(path + ": a task failure was certain but close() reported none");
    }
  }

  private static void checkFailed(
      @Nullable Throwable threw,
      Node node,
      String path,
      Set<Throwable> expected,
      List<String> out) {
    if (!(threw instanceof NurseryFailedException failed)) {
      out.add(path + ": expected NurseryFailedException with " + expected + " but got " + threw);
      return;
    }
    List<Throwable> failures = failed.failures();
    Set<Throwable> reported = Collections.newSetFromMap(new IdentityHashMap<>());
    reported.addAll(failures);
    if (!reported.equals(expected) || failures.size() != expected.size()) {
      out.add(path + ": reported failures " + failures + " but the thrown ones are " + expected);
    }
    if (failed.getCause() != failures.get(0) || !expected.contains(failed.getCause())) {
      out.add(path + ": primary failure " + failed.getCause() + " is not a thrown one first");
    }
    List<Throwable> suppressed = List.of(failed.getSuppressed());
    for (Throwable f : failures.subList(1, failures.size())) {
      if (!suppressed.contains(f)) {
        out.add(path + ": failure " + f + " not attached as suppressed");
      }
    }
    for (Throwable sup : suppressed) {
      if (reported.contains(sup)) {
        continue;
      }
      if (!(sup instanceof NurseryTimeoutException) || node.deadline() != Deadline.FAIL) {
        out.add(path + ": unexpected suppressed " + sup);
      }
    }
  }

  private static void checkStart(
      String where,
      Exec e,
      int i,
      Start s,
      boolean mayCancel,
      Set<Throwable> expected,
      List<String> out) {
    Object result = e.startResults[i];
    if (result instanceof TaskCancelledException) {
      if (!mayCancel) {
        out.add(where + ": start() threw " + result + " but nothing may cancel it");
      }
    } else {
      switch (s.kind()) {
        case STARTED_VALUE, STARTED_THROW, STARTED_HANG -> {
          if (result != e.startValues[i]) {
            out.add(where + ": start() ended with " + result + " instead of the start value");
          }
        }
        case THROW_BEFORE -> {
          if (!(result instanceof TaskFailedException tfe && tfe.getCause() == e.thrown[i])) {
            out.add(where + ": start() ended with " + result + " instead of TaskFailedException");
          }
        }
        case NO_START -> {
          if (!(result instanceof IllegalStateException)) {
            out.add(where + ": start() ended with " + result + " instead of IllegalStateException");
          }
        }
      }
    }
    if (s.kind() == StartKind.STARTED_THROW) {
      if (e.taskThrew[i]) {
        expected.add(e.thrown[i]); // thrown after started: into the nursery
      } else if (result == e.startValues[i]) {
        out.add(where + ": start() returned but the task never reached its throw");
      }
    }
  }

  private static void checkThrow(
      String where,
      ResultCapture<?> c,
      @Nullable Throwable thrown,
      boolean propagates,
      boolean mayCancel,
      Set<Throwable> expected,
      List<String> out) {
    TaskState s = c.state();
    Throwable x = c.exception();
    if (s == TaskState.FAILED) {
      if (x != thrown) {
        out.add(where + ": failed with " + x + " instead of the object it threw");
      } else if (propagates) {
        expected.add(x);
      }
    } else if (!(s == TaskState.CANCELLED && mayCancel)) {
      out.add(where + ": ended " + s + " (may be cancelled: " + mayCancel + ")");
    }
  }

  private static void expectCancelled(String where, ResultCapture<?> c, List<String> out) {
    if (c.state() != TaskState.CANCELLED) {
      out.add(where + ": a hang ended " + c.state() + " instead of CANCELLED");
    }
  }

  private static void expectValueOrCancelled(
      String where,
      ResultCapture<?> c,
      @Nullable Object value,
      boolean mayCancel,
      List<String> out) {
    TaskState s = c.state();
    if (s == TaskState.SUCCEEDED) {
      if (c.result() != value) {
        out.add(where + ": succeeded with " + c.result() + " instead of its value");
      }
    } else if (!(s == TaskState.CANCELLED && mayCancel)) {
      out.add(
          where
              + ": ended "
              + s
              + " with "
              + c.exception()
              + " (may be cancelled: "
              + mayCancel
              + ")");
    }
  }
}
