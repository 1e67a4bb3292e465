package io.github.loomresult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * Random trees of nested nurseries, a runner that executes one and records what happened, an oracle
 * that checks the record against the rules (N4-N8, R5, R8), and a greedy shrinker.
 *
 * <p>The oracle avoids wall-clock races by construction: a task that hangs until cancelled only
 * exists in a nursery where something certainly cancels it (the body throws or calls {@code
 * cancel()}, a sibling certainly fails, or a sibling cancels that very task), so every tree ends.
 * Where the outcome depends on the interleaving (a task may be cancelled before it starts once its
 * nursery may be cancelled), the oracle allows every state that interleaving can produce, and
 * checks the rest exactly: which failure objects were thrown and therefore must be reported, by
 * identity, at the right level.
 */
final class NurseryTrees {
  private NurseryTrees() {}

  // ---- the model ----------------------------------------------------------------------------

  enum Kind {
    CHECKED,
    UNCHECKED,
    ERROR
  }

  enum BodyAction {
    RETURN,
    CANCEL,
    THROW_CHECKED,
    THROW_UNCHECKED,
    THROW_ERROR,
    HANG;

    boolean throwsSomething() {
      return this == THROW_CHECKED || this == THROW_UNCHECKED || this == THROW_ERROR;
    }
  }

  sealed interface Task permits Value, Throw, Hang, Swallow, CancelSibling, Nested {}

  /** Returns a fresh value. */
  record Value() implements Task {
    @Override
    public String toString() {
      return "value";
    }
  }

  /**
   * Throws a fresh exception of {@code kind}; {@code suppress} starts it with suppressException.
   */
  record Throw(Kind kind, boolean suppress) implements Task {
    @Override
    public String toString() {
      return "throw(" + kind + (suppress ? ",suppressed" : "") + ")";
    }
  }

  /** Blocks until cancelled: on a latch that never opens, or in a one-day sleep. */
  record Hang(boolean sleep) implements Task {
    @Override
    public String toString() {
      return sleep ? "hang(sleep)" : "hang(latch)";
    }
  }

  /** Sleeps until interrupted, swallows the interrupt and returns a value. */
  record Swallow() implements Task {
    @Override
    public String toString() {
      return "swallow";
    }
  }

  /** Cancels the capture of the sibling at {@code target} (an earlier task, never a canceller). */
  record CancelSibling(int target) implements Task {
    @Override
    public String toString() {
      return "cancel(#" + target + ")";
    }
  }

  /** Runs a nested nursery. */
  record Nested(Node node) implements Task {
    @Override
    public String toString() {
      return node.toString();
    }
  }

  /**
   * A nursery: {@code limit} is a maxAtOnce limiter (0: none); the body starts the tasks in order,
   * then does {@code body}.
   */
  record Node(int limit, List<Task> tasks, BodyAction body) {
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("N[");
      if (limit > 0) {
        s.append("max=").append(limit).append(", ");
      }
      s.append("body=").append(body).append("]{");
      for (int i = 0; i < tasks.size(); i++) {
        s.append(i == 0 ? "" : ", ").append('#').append(i).append(' ').append(tasks.get(i));
      }
      return s.append('}').toString();
    }
  }

  /** A tree; {@code preInterrupt}: the caller's thread is interrupted before it runs the root. */
  record Tree(Node root, boolean preInterrupt) {
    @Override
    public String toString() {
      return (preInterrupt ? "interrupted caller: " : "") + root;
    }
  }

  static final class CheckedBoom extends Exception {
    private static final long serialVersionUID = 1L;

    CheckedBoom(String m) {
      super(m, null, false, false);
    }
  }

  static final class UncheckedBoom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedBoom(String m) {
      super(m, null, false, false);
    }
  }

  static final class BoomError extends Error {
    private static final long serialVersionUID = 1L;

    BoomError(String m) {
      super(m, null, false, false);
    }
  }

  static Throwable make(Kind kind, String where) {
    return switch (kind) {
      case CHECKED -> new CheckedBoom(where);
      case UNCHECKED -> new UncheckedBoom(where);
      case ERROR -> new BoomError(where);
    };
  }

  // ---- static analysis shared by the generator and the oracle ---------------------------------

  static boolean hangLike(Task t) {
    return t instanceof Hang || t instanceof Swallow;
  }

  static boolean propagates(Throw t) {
    return !t.suppress() || t.kind() == Kind.ERROR;
  }

  static boolean targeted(Node n, int i) {
    for (Task t : n.tasks()) {
      if (t instanceof CancelSibling c && c.target() == i) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether some task of {@code n} certainly fails when nothing outside cancels {@code n} and its
   * body does not cancel it: a propagating throw or a certainly failing nested nursery that no
   * sibling cancels. (Another failure may cancel it first, but then that one is a failure.)
   */
  static boolean certainTaskFailure(Node n) {
    for (int i = 0; i < n.tasks().size(); i++) {
      Task t = n.tasks().get(i);
      if (targeted(n, i)) {
        continue;
      }
      if (t instanceof Throw th && propagates(th)) {
        return true;
      }
      if (t instanceof Nested nested && certainFailure(nested.node())) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code n} certainly reports a failure when nothing outside cancels it. */
  static boolean certainFailure(Node n) {
    if (n.body().throwsSomething()) {
      return true;
    }
    return n.body() != BodyAction.CANCEL && certainTaskFailure(n);
  }

  /** Whether anything inside {@code n} may fail (and so cancel its nursery). */
  static boolean mayFail(Node n) {
    if (n.body().throwsSomething()) {
      return true;
    }
    for (Task t : n.tasks()) {
      if (t instanceof Throw th && propagates(th)) {
        return true;
      }
      if (t instanceof Nested nested && mayFail(nested.node())) {
        return true;
      }
    }
    return false;
  }

  /** Whether the nursery {@code n} may be cancelled, given whether its enclosing task may be. */
  static boolean mayBeCancelled(Node n, boolean fromOutside) {
    return fromOutside || n.body() == BodyAction.CANCEL || mayFail(n);
  }

  /** Whether the hang-like task at {@code i} is certainly cancelled. */
  static boolean hangAllowed(Node n, int i) {
    if (n.body().throwsSomething() || n.body() == BodyAction.CANCEL) {
      return true;
    }
    // Under a limiter, a hang may hold the slot the failing or cancelling sibling waits for.
    return n.limit() == 0 && (certainTaskFailure(n) || targeted(n, i));
  }

  static boolean bodyHangAllowed(Node n) {
    if (!certainTaskFailure(n)) {
      return false;
    }
    if (n.limit() == 0) {
      return true;
    }
    for (Task t : n.tasks()) {
      if (hangLike(t)) {
        return false;
      }
    }
    return true;
  }

  /** Whether every tree rule holds, so the tree certainly ends. */
  static boolean valid(Node n) {
    if (n.body() == BodyAction.HANG && !bodyHangAllowed(n)) {
      return false;
    }
    for (int i = 0; i < n.tasks().size(); i++) {
      Task t = n.tasks().get(i);
      if (hangLike(t) && !hangAllowed(n, i)) {
        return false;
      }
      if (t instanceof CancelSibling c
          && (c.target() < 0
              || c.target() >= i
              || n.tasks().get(c.target()) instanceof CancelSibling)) {
        return false;
      }
      if (t instanceof Nested nested && !valid(nested.node())) {
        return false;
      }
    }
    return true;
  }

  // ---- generation ---------------------------------------------------------------------------

  static Tree generate(Random r) {
    return new Tree(generate(r, 0), r.nextInt(8) == 0);
  }

  private static Node generate(Random r, int depth) {
    int limit = r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0;
    int count = r.nextInt(depth == 0 ? 6 : 4);
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int roll = r.nextInt(13);
      Task t;
      if (roll < 3) {
        t = new Value();
      } else if (roll < 6) {
        t = new Throw(Kind.values()[r.nextInt(3)], r.nextInt(4) == 0);
      } else if (roll < 8) {
        t = new Hang(r.nextBoolean());
      } else if (roll < 9) {
        t = new Swallow();
      } else if (roll < 11) {
        List<Integer> targets = new ArrayList<>();
        for (int j = 0; j < i; j++) {
          if (!(tasks.get(j) instanceof CancelSibling)) {
            targets.add(j);
          }
        }
        t =
            targets.isEmpty()
                ? new Value()
                : new CancelSibling(targets.get(r.nextInt(targets.size())));
      } else {
        t = depth < 3 ? new Nested(generate(r, depth + 1)) : new Value();
      }
      tasks.add(t);
    }
    BodyAction[] actions = {
      BodyAction.RETURN,
      BodyAction.RETURN,
      BodyAction.RETURN,
      BodyAction.CANCEL,
      BodyAction.THROW_CHECKED,
      BodyAction.THROW_UNCHECKED,
      BodyAction.THROW_ERROR,
      BodyAction.HANG,
      BodyAction.HANG
    };
    BodyAction body = actions[r.nextInt(actions.length)];
    Node n = new Node(limit, tasks, body);
    // Repair: a hang nothing certainly cancels becomes a value.
    List<Task> repaired = new ArrayList<>(tasks);
    for (int i = 0; i < repaired.size(); i++) {
      if (hangLike(repaired.get(i)) && !hangAllowed(n, i)) {
        repaired.set(i, new Value());
      }
    }
    n = new Node(limit, List.copyOf(repaired), body);
    if (body == BodyAction.HANG && !bodyHangAllowed(n)) {
      n = new Node(limit, n.tasks(), BodyAction.RETURN);
    }
    return n;
  }

  // ---- shrinking ----------------------------------------------------------------------------

  /** Simpler variants of {@code tree}, simplest changes first; all valid. */
  static List<Tree> simplifications(Tree tree) {
    List<Tree> out = new ArrayList<>();
    if (tree.preInterrupt()) {
      out.add(new Tree(tree.root(), false));
    }
    for (Node n : simplifications(tree.root())) {
      out.add(new Tree(n, tree.preInterrupt()));
    }
    out.removeIf(t -> !valid(t.root()));
    return out;
  }

  private static List<Node> simplifications(Node n) {
    List<Node> out = new ArrayList<>();
    List<Task> tasks = n.tasks();
    for (int i = tasks.size() - 1; i >= 0; i--) {
      out.add(new Node(n.limit(), without(tasks, i), n.body()));
    }
    if (n.limit() != 0) {
      out.add(new Node(0, tasks, n.body()));
    }
    if (n.body() != BodyAction.RETURN) {
      out.add(new Node(n.limit(), tasks, BodyAction.RETURN));
    }
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      if (t instanceof Nested nested) {
        out.add(new Node(n.limit(), with(tasks, i, new Value()), n.body()));
        for (Node inner : simplifications(nested.node())) {
          out.add(new Node(n.limit(), with(tasks, i, new Nested(inner)), n.body()));
        }
      } else if (t instanceof Throw th) {
        if (th.suppress()) {
          out.add(new Node(n.limit(), with(tasks, i, new Throw(th.kind(), false)), n.body()));
        }
        if (th.kind() != Kind.UNCHECKED) {
          out.add(
              new Node(
                  n.limit(), with(tasks, i, new Throw(Kind.UNCHECKED, th.suppress())), n.body()));
        }
        out.add(new Node(n.limit(), with(tasks, i, new Value()), n.body()));
      } else if (!(t instanceof Value)) {
        out.add(new Node(n.limit(), with(tasks, i, new Value()), n.body()));
      }
    }
    return out;
  }

  private static List<Task> with(List<Task> tasks, int i, Task t) {
    List<Task> copy = new ArrayList<>(tasks);
    copy.set(i, t);
    return List.copyOf(copy);
  }

  /** Removes task {@code i}; cancellers of it go too, later targets shift down. */
  private static List<Task> without(List<Task> tasks, int i) {
    List<Task> out = new ArrayList<>();
    List<Integer> newIndex = new ArrayList<>();
    for (int j = 0; j < tasks.size(); j++) {
      Task t = tasks.get(j);
      if (j == i || (t instanceof CancelSibling c && c.target() == i)) {
        newIndex.add(-1);
        continue;
      }
      newIndex.add(out.size());
      out.add(t);
    }
    for (int j = 0; j < out.size(); j++) {
      if (out.get(j) instanceof CancelSibling c) {
        out.set(j, new CancelSibling(newIndex.get(c.target())));
      }
    }
    return List.copyOf(out);
  }

  // ---- running ------------------------------------------------------------------------------

  /** What one nursery of the tree did in one run. */
  static final class Exec {
    final Node node;
    final ResultCapture<?>[] caps;
    final Object[] values;
    final Throwable[] thrown;
    final @Nullable Exec[] children;
    final Object bodyValue = new Object();
    final @Nullable Throwable bodyThrown;
    volatile boolean ran;
    volatile boolean returned;
    volatile @Nullable Object returnedValue;
    volatile @Nullable Throwable threw;

    Exec(Node node, String path) {
      this.node = node;
      int k = node.tasks().size();
      caps = new ResultCapture<?>[k];
      values = new Object[k];
      thrown = new Throwable[k];
      children = new Exec[k];
      for (int i = 0; i < k; i++) {
        values[i] = new Object();
        Task t = node.tasks().get(i);
        if (t instanceof Throw th) {
          thrown[i] = make(th.kind(), path + "#" + i);
        } else if (t instanceof Nested nested) {
          children[i] = new Exec(nested.node(), path + "#" + i + "/");
        }
      }
      bodyThrown =
          switch (node.body()) {
            case THROW_CHECKED -> make(Kind.CHECKED, path + "body");
            case THROW_UNCHECKED -> make(Kind.UNCHECKED, path + "body");
            case THROW_ERROR -> make(Kind.ERROR, path + "body");
            default -> null;
          };
    }
  }

  /** Runs the nursery of {@code e} on the current thread, recording what it did. */
  static void run(Exec e) throws Exception {
    e.ran = true;
    Nursery.Body<Object> body = n -> body(n, e);
    try {
      Object v =
          e.node.limit() > 0
              ? Nursery.builder().maxAtOnce(e.node.limit()).run(body)
              : Nursery.run(body);
      e.returnedValue = v;
      e.returned = true;
    } catch (Exception | Error t) {
      e.threw = t;
      throw t;
    }
  }

  private static Object body(Nursery n, Exec e) throws Exception {
    List<Task> tasks = e.node.tasks();
    for (int i = 0; i < tasks.size(); i++) {
      Callable<Object> task = task(e, i);
      Task t = tasks.get(i);
      e.caps[i] =
          t instanceof Throw th && th.suppress()
              ? ResultCapture.builder().suppressException().startSoon(n, task)
              : n.startSoon(task);
    }
    switch (e.node.body()) {
      case RETURN -> {}
      case CANCEL -> n.cancel();
      case THROW_CHECKED -> throw (CheckedBoom) java.util.Objects.requireNonNull(e.bodyThrown);
      case THROW_UNCHECKED -> throw (UncheckedBoom) java.util.Objects.requireNonNull(e.bodyThrown);
      case THROW_ERROR -> throw (BoomError) java.util.Objects.requireNonNull(e.bodyThrown);
      case HANG -> new CountDownLatch(1).await();
    }
    return e.bodyValue;
  }

  private static Callable<Object> task(Exec e, int i) {
    Task t = e.node.tasks().get(i);
    Object value = e.values[i];
    return switch (t) {
      case Value v -> () -> value;
      case Throw th -> {
        Throwable x = e.thrown[i];
        yield () -> {
          if (x instanceof CheckedBoom c) {
            throw c;
          } else if (x instanceof UncheckedBoom u) {
            throw u;
          }
          throw (BoomError) x;
        };
      }
      case Hang h ->
          () -> {
            if (h.sleep()) {
              Thread.sleep(Duration.ofDays(1));
            } else {
              new CountDownLatch(1).await();
            }
            return value;
          };
      case Swallow s ->
          () -> {
            try {
              Thread.sleep(Duration.ofDays(1));
            } catch (InterruptedException swallowed) {
              // swallowed on purpose: the task returns a value anyway
            }
            return value;
          };
      case CancelSibling c ->
          () -> {
            e.caps[c.target()].cancel();
            return value;
          };
      case Nested nested -> {
        Exec child = java.util.Objects.requireNonNull(e.children[i]);
        yield () -> {
          run(child);
          return child.returnedValue;
        };
      }
    };
  }

  // ---- the oracle ---------------------------------------------------------------------------

  /** Checks the record of a run of {@code tree}; returns the violations found (empty: all good). */
  static List<String> check(Tree tree, Exec root, boolean interruptedAfter) {
    List<String> out = new ArrayList<>();
    if (tree.preInterrupt() && !interruptedAfter) {
      out.add("the caller was interrupted before the run, but its interrupt status is clear after");
    }
    if (!tree.preInterrupt() && interruptedAfter) {
      out.add("the caller's interrupt status is set after the run");
    }
    check(root, "root", tree.preInterrupt(), tree.preInterrupt(), out);
    return out;
  }

  private static void check(
      Exec e, String path, boolean outsidePossible, boolean outsideRequested, List<String> out) {
    Node node = e.node;
    boolean nurseryMayCancel = mayBeCancelled(node, outsidePossible);
    Set<Throwable> expected = Collections.newSetFromMap(new IdentityHashMap<>());
    if (e.bodyThrown != null) {
      expected.add(e.bodyThrown);
    }
    for (int i = 0; i < node.tasks().size(); i++) {
      String where = path + "#" + i + " " + node.tasks().get(i);
      ResultCapture<?> c = e.caps[i];
      if (c == null) {
        out.add(where + ": never started by the body");
        continue;
      }
      if (!c.isDone()) {
        out.add(where + ": capture not done after its nursery returned: " + c);
        continue;
      }
      boolean mayCancel = nurseryMayCancel || targeted(node, i);
      TaskState s = c.state();
      Throwable x = c.exception();
      if (s == TaskState.CANCELLED) {
        if (!(x instanceof TaskCancelledException)) {
          out.add(where + ": cancelled, but exception() is " + x);
        }
      }
      Task t = node.tasks().get(i);
      switch (t) {
        case Value v -> expectValueOrCancelled(where, c, e.values[i], mayCancel, out);
        case CancelSibling cs -> expectValueOrCancelled(where, c, e.values[i], mayCancel, out);
        case Swallow sw -> expectValueOrCancelled(where, c, e.values[i], true, out);
        case Hang h -> {
          if (s != TaskState.CANCELLED) {
            out.add(where + ": a hang ended " + s + " instead of CANCELLED");
          }
        }
        case Throw th -> {
          if (s == TaskState.FAILED) {
            if (x != e.thrown[i]) {
              out.add(where + ": failed with " + x + " instead of the object it threw");
            } else if (propagates(th)) {
              expected.add(x);
            }
          } else if (!(s == TaskState.CANCELLED && mayCancel)) {
            out.add(where + ": ended " + s + " (may be cancelled: " + mayCancel + ")");
          }
        }
        case Nested nested -> {
          Exec child = java.util.Objects.requireNonNull(e.children[i]);
          if (!child.ran) {
            if (!(s == TaskState.CANCELLED && mayCancel)) {
              out.add(where + ": nested nursery never ran, capture " + s);
            }
            break;
          }
          Throwable threw = child.threw;
          if (threw instanceof NurseryFailedException) {
            if (s != TaskState.FAILED || x != threw) {
              out.add(where + ": nested nursery failed but its capture is " + s + " with " + x);
            } else {
              expected.add(threw);
            }
          } else if (threw instanceof TaskCancelledException) {
            if (s != TaskState.CANCELLED || !c.isCancelRequested()) {
              out.add(where + ": nested nursery threw " + threw + " but its capture is " + s);
            }
          } else if (threw != null) {
            out.add(where + ": nested nursery threw an unexpected " + threw);
          } else if (s != TaskState.SUCCEEDED || c.result() != child.returnedValue) {
            out.add(where + ": nested nursery returned but its capture is " + s);
          }
          check(child, path + "#" + i + "/", mayCancel, c.isCancelRequested(), out);
        }
      }
    }
    // How the nursery itself ended.
    Throwable threw = e.threw;
    if (!expected.isEmpty()) {
      if (!(threw instanceof NurseryFailedException failed)) {
        out.add(path + ": expected NurseryFailedException with " + expected + " but got " + threw);
      } else {
        List<Throwable> failures = failed.failures();
        Set<Throwable> reported = Collections.newSetFromMap(new IdentityHashMap<>());
        reported.addAll(failures);
        if (!reported.equals(expected) || failures.size() != expected.size()) {
          out.add(
              path + ": reported failures " + failures + " but the thrown ones are " + expected);
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
      }
    } else if (threw instanceof TaskCancelledException) {
      if (!outsideRequested) {
        out.add(path + ": TaskCancelledException but nothing outside cancelled it");
      }
    } else if (threw != null) {
      out.add(path + ": no failure was thrown inside, but it threw " + threw);
    } else if (!e.returned) {
      out.add(path + ": neither returned nor threw");
    } else if (node.body() == BodyAction.HANG) {
      out.add(path + ": a hanging body returned normally without failures");
    } else if (e.returnedValue != e.bodyValue) {
      out.add(path + ": returned " + e.returnedValue + " instead of the body's value");
    }
    if (expected.isEmpty() && !outsideRequested && certainFailure(node)) {
      out.add(path + ": a failure was certain but none was reported");
    }
  }

  private static void expectValueOrCancelled(
      String where, ResultCapture<?> c, Object value, boolean mayCancel, List<String> out) {
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
