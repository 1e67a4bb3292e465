package io.github.loomresult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * Random trees of nested nurseries, a runner that executes one and records what happened, an oracle
 * that checks the record against the rules (N3-N11, R5, R8, S1, S2), and a greedy shrinker.
 *
 * <p>The oracle avoids wall-clock races by construction: a task that hangs until cancelled only
 * exists in a nursery where something certainly cancels it (the body throws or calls {@code
 * cancel()}, a sibling certainly fails, a sibling cancels that very task, a short deadline of that
 * nursery or of an enclosing one, or the caller's thread being interrupted mid-run), so every tree
 * ends. A nursery with a short deadline always holds something that only a cancellation ends, so
 * the deadline is certainly what ends it unless a failure or an outside cancellation does. Where
 * the outcome depends on the interleaving (a task may be cancelled before it starts once its
 * nursery may be cancelled, a deadline may beat a failing task), the oracle allows every state that
 * interleaving can produce, and checks the rest exactly: which failure objects were thrown and
 * therefore must be reported, by identity, at the right level.
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

  /**
   * A nursery's own deadline: none, a short one that fails ({@link NurseryTimeoutException}) or
   * moves on, or one a day away (which only an enclosing short deadline can beat: inheritance).
   */
  enum Deadline {
    NONE,
    FAIL,
    MOVE_ON,
    LONG
  }

  /** What a task run with {@code nursery.start(...)} does. */
  enum StartKind {
    /** Signals started, then returns a value. */
    STARTED_VALUE,
    /** Signals started, then throws (into the nursery). */
    STARTED_THROW,
    /** Signals started, then hangs until cancelled. */
    STARTED_HANG,
    /** Throws before it signals started: {@code start} throws, the nursery does not fail. */
    THROW_BEFORE,
    /** Returns without signalling started: {@code start} throws IllegalStateException. */
    NO_START
  }

  /** What a background task does. */
  enum BackgroundKind {
    VALUE,
    THROW,
    HANG
  }

  sealed interface Task
      permits Value,
          Throw,
          Hang,
          Swallow,
          CancelSibling,
          Nested,
          Start,
          Spawn,
          Background,
          Shield,
          InterruptOwner {}

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

  /** Cancels the capture of the sibling at {@code target} (an earlier task with a capture). */
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

  /** Started by the body with {@code nursery.start(...)}, which blocks the body until it starts. */
  record Start(StartKind kind, Kind exception) implements Task {
    @Override
    public String toString() {
      return "start("
          + kind
          + (kind == StartKind.STARTED_THROW || kind == StartKind.THROW_BEFORE
              ? "," + exception
              : "")
          + ")";
    }
  }

  /**
   * A task that starts {@code child} (a value, throw or hang) into its own nursery, then returns.
   */
  record Spawn(Task child) implements Task {
    @Override
    public String toString() {
      return "spawn(" + child + ")";
    }
  }

  /** Started with {@code startBackground}: cancelled, not awaited, once the rest is done. */
  record Background(BackgroundKind kind, Kind exception) implements Task {
    @Override
    public String toString() {
      return "background(" + kind + (kind == BackgroundKind.THROW ? "," + exception : "") + ")";
    }
  }

  /**
   * Enters a shielded section that waits (blocking) until its cancellation is requested and then
   * blocks once more; the interrupt must wait for the shield's end, where the task hangs until it
   * arrives.
   */
  record Shield() implements Task {
    @Override
    public String toString() {
      return "shield";
    }
  }

  /**
   * Interrupts the thread that runs the root nursery (only in a tree with {@code midInterrupt}).
   */
  record InterruptOwner() implements Task {
    @Override
    public String toString() {
      return "interrupt-owner";
    }
  }

  /**
   * A nursery: {@code limit} is a maxAtOnce limiter (0: none); {@code deadline} with {@code
   * timeoutMillis} (short deadlines); {@code open}: run as {@code open()} / body / {@code join()}
   * in try-with-resources instead of {@code run}. The body starts the tasks in order, then does
   * {@code body}.
   */
  record Node(
      int limit,
      List<Task> tasks,
      BodyAction body,
      Deadline deadline,
      int timeoutMillis,
      boolean open) {
    Node(int limit, List<Task> tasks, BodyAction body) {
      this(limit, tasks, body, Deadline.NONE, 0, false);
    }

    Node withTasks(List<Task> newTasks) {
      return new Node(limit, newTasks, body, deadline, timeoutMillis, open);
    }

    Node withBody(BodyAction newBody) {
      return new Node(limit, tasks, newBody, deadline, timeoutMillis, open);
    }

    Node withLimit(int newLimit) {
      return new Node(newLimit, tasks, body, deadline, timeoutMillis, open);
    }

    Node withDeadline(Deadline newDeadline) {
      return new Node(limit, tasks, body, newDeadline, timeoutMillis, open);
    }

    Node withOpen(boolean newOpen) {
      return new Node(limit, tasks, body, deadline, timeoutMillis, newOpen);
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(open ? "N-open[" : "N[");
      if (limit > 0) {
        s.append("max=").append(limit).append(", ");
      }
      switch (deadline) {
        case NONE -> {}
        case FAIL -> s.append("timeout=").append(timeoutMillis).append("ms fail, ");
        case MOVE_ON -> s.append("timeout=").append(timeoutMillis).append("ms move-on, ");
        case LONG -> s.append("timeout=1d, ");
      }
      s.append("body=").append(body).append("]{");
      for (int i = 0; i < tasks.size(); i++) {
        s.append(i == 0 ? "" : ", ").append('#').append(i).append(' ').append(tasks.get(i));
      }
      return s.append('}').toString();
    }
  }

  /**
   * A tree; {@code preInterrupt}: the caller's thread is interrupted before it runs the root;
   * {@code midInterrupt}: a task of the root (an {@link InterruptOwner}) interrupts it mid-run.
   */
  record Tree(Node root, boolean preInterrupt, boolean midInterrupt) {
    Tree(Node root, boolean preInterrupt) {
      this(root, preInterrupt, false);
    }

    @Override
    public String toString() {
      return (preInterrupt ? "interrupted caller: " : "")
          + (midInterrupt ? "caller interrupted mid-run: " : "")
          + root;
    }
  }

  static final class CheckedBoom extends Exception {
    private static final long serialVersionUID = 1L;

    CheckedBoom(String m, boolean suppressible) {
      super(m, null, suppressible, false);
    }
  }

  static final class UncheckedBoom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedBoom(String m, boolean suppressible) {
      super(m, null, suppressible, false);
    }
  }

  static final class BoomError extends Error {
    private static final long serialVersionUID = 1L;

    BoomError(String m, boolean suppressible) {
      super(m, null, suppressible, false);
    }
  }

  static Throwable make(Kind kind, String where) {
    return make(kind, where, false);
  }

  /**
   * {@code suppressible}: the exception can carry suppressed ones (try-with-resources adds some).
   */
  static Throwable make(Kind kind, String where, boolean suppressible) {
    return switch (kind) {
      case CHECKED -> new CheckedBoom(where, suppressible);
      case UNCHECKED -> new UncheckedBoom(where, suppressible);
      case ERROR -> new BoomError(where, suppressible);
    };
  }

  static Object throwIt(Throwable x) throws Exception {
    if (x instanceof Exception e) {
      throw e;
    }
    throw (Error) x;
  }

  // ---- static analysis shared by the generator and the oracle ---------------------------------

  static boolean shortDeadline(Node n) {
    return n.deadline() == Deadline.FAIL || n.deadline() == Deadline.MOVE_ON;
  }

  /** A task that holds its thread (and limiter slot) until something cancels it. */
  static boolean hangLike(Task t) {
    return t instanceof Hang
        || t instanceof Swallow
        || t instanceof Shield
        || (t instanceof Start s && s.kind() == StartKind.STARTED_HANG)
        || (t instanceof Spawn sp && sp.child() instanceof Hang);
  }

  /** Whether a {@link CancelSibling} may target this task: it has a capture of its own. */
  static boolean targetable(Task t) {
    return t instanceof Value
        || t instanceof Throw
        || t instanceof Hang
        || t instanceof Swallow
        || t instanceof Nested
        || t instanceof Spawn
        || t instanceof Shield;
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
   * Whether some task of {@code n} certainly fails when nothing outside cancels {@code n}, its body
   * does not cancel it and no deadline does: a propagating throw (also after a start signal, or
   * from a spawned task) or a certainly failing nested nursery that no sibling cancels. (Another
   * failure may cancel it first, but then that one is a failure.)
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
      if (t instanceof Start s && s.kind() == StartKind.STARTED_THROW) {
        return true;
      }
      if (t instanceof Spawn sp && sp.child() instanceof Throw th && propagates(th)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code n} certainly ends with an exception its enclosing task fails with, when nothing
   * outside cancels it: a throwing body, an open-form body that hangs (its InterruptedException
   * leaves the block), a short failing deadline, or (without a body cancel or a short deadline,
   * which could beat the thrower) a certain task failure.
   */
  static boolean certainFailure(Node n) {
    if (n.body().throwsSomething() || (n.open() && n.body() == BodyAction.HANG)) {
      return true;
    }
    if (n.deadline() == Deadline.FAIL) {
      return true;
    }
    return n.body() != BodyAction.CANCEL && !shortDeadline(n) && certainTaskFailure(n);
  }

  /** Whether anything inside {@code n} may fail (and so cancel its nursery). */
  static boolean mayFail(Node n) {
    if (n.body().throwsSomething() || (n.open() && n.body() == BodyAction.HANG)) {
      return true;
    }
    if (n.deadline() == Deadline.FAIL) {
      return true;
    }
    for (Task t : n.tasks()) {
      if (t instanceof Throw th && propagates(th)) {
        return true;
      }
      if (t instanceof Nested nested && mayFail(nested.node())) {
        return true;
      }
      if (t instanceof Start s && s.kind() == StartKind.STARTED_THROW) {
        return true;
      }
      if (t instanceof Spawn sp && sp.child() instanceof Throw th && propagates(th)) {
        return true;
      }
      if (t instanceof Background b && b.kind() == BackgroundKind.THROW) {
        return true;
      }
    }
    return false;
  }

  /** Whether the nursery {@code n} may be cancelled, given whether its enclosing task may be. */
  static boolean mayBeCancelled(Node n, boolean fromOutside) {
    return fromOutside || n.body() == BodyAction.CANCEL || mayFail(n) || shortDeadline(n);
  }

  /**
   * Whether the hang-like task at {@code i} is certainly cancelled; {@code sure}: something (a
   * short deadline here or above, an interrupt of the caller) certainly cancels the nursery.
   */
  static boolean hangAllowed(Node n, int i, boolean sure) {
    if (sure || n.body().throwsSomething() || n.body() == BodyAction.CANCEL) {
      return true;
    }
    // Under a limiter, a hang may hold the slot the failing or cancelling sibling waits for.
    // Cancelling a spawner does not cancel what it spawned.
    boolean cancelledBySibling = targeted(n, i) && !(n.tasks().get(i) instanceof Spawn);
    return n.limit() == 0 && (certainTaskFailure(n) || cancelledBySibling);
  }

  static boolean bodyHangAllowed(Node n, boolean sure) {
    if (sure) {
      return true;
    }
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

  /**
   * Whether the body may call {@code start} for task {@code i}: under a limiter, a hang started
   * before it could hold the slot it needs, and the body, blocked in {@code start}, would never
   * reach the throw or cancel that ends the hang.
   */
  static boolean startAllowed(Node n, int i, boolean sure) {
    if (sure || n.limit() == 0) {
      return true;
    }
    for (int j = 0; j < i; j++) {
      if (hangLike(n.tasks().get(j))) {
        return false;
      }
    }
    return true;
  }

  /** Something in {@code n} that only a cancellation ends: the deadline is what ends it. */
  static boolean witness(Node n) {
    return witness(n, true);
  }

  /**
   * {@code startCounts}: whether a task started with {@code start} counts. It does not for an
   * interrupt of the caller: a body interrupted while it waits in {@code start} cancels that task
   * only ({@code start} throws TaskCancelledException and sets the interrupt again), and the
   * nursery moves on normally if nothing else is left to cancel.
   */
  static boolean witness(Node n, boolean startCounts) {
    if (n.body() == BodyAction.HANG) {
      return true;
    }
    for (int i = 0; i < n.tasks().size(); i++) {
      Task t = n.tasks().get(i);
      if (hangLike(t) && !targeted(n, i) && (startCounts || !(t instanceof Start))) {
        return true;
      }
    }
    return false;
  }

  /** Whether every tree rule holds, so the tree certainly ends and the oracle is certain. */
  static boolean valid(Tree tree) {
    if (tree.preInterrupt() && tree.midInterrupt()) {
      return false;
    }
    Node root = tree.root();
    if (tree.preInterrupt() && shortDeadline(root) && !witness(root, false)) {
      // The body's start() fails at once on the pending interrupt and cancels its task, so a
      // started task is no proof that the deadline, not the end of the work, ends the nursery.
      return false;
    }
    if (tree.midInterrupt()) {
      long owners = root.tasks().stream().filter(t -> t instanceof InterruptOwner).count();
      if (owners != 1
          || root.limit() != 0
          || shortDeadline(root)
          || root.open()
          || !(root.body() == BodyAction.RETURN || root.body() == BodyAction.HANG)
          || mayFail(root)
          || !witness(root, false)) {
        return false;
      }
    }
    return valid(root, tree.midInterrupt(), tree.midInterrupt());
  }

  static boolean valid(Node n, boolean sure, boolean isMidInterruptRoot) {
    boolean s = sure || shortDeadline(n);
    if (shortDeadline(n) && (n.body() == BodyAction.CANCEL || !witness(n))) {
      return false;
    }
    if (n.body() == BodyAction.HANG && !bodyHangAllowed(n, s)) {
      return false;
    }
    for (int i = 0; i < n.tasks().size(); i++) {
      Task t = n.tasks().get(i);
      if (hangLike(t) && !hangAllowed(n, i, s)) {
        return false;
      }
      if (t instanceof Start && !startAllowed(n, i, s)) {
        return false;
      }
      if (t instanceof InterruptOwner && !isMidInterruptRoot) {
        return false;
      }
      if (t instanceof Spawn sp
          && !(sp.child() instanceof Value
              || sp.child() instanceof Throw
              || sp.child() instanceof Hang)) {
        return false;
      }
      if (t instanceof CancelSibling c
          && (c.target() < 0 || c.target() >= i || !targetable(n.tasks().get(c.target())))) {
        return false;
      }
      if (t instanceof Nested nested && !valid(nested.node(), s, false)) {
        return false;
      }
    }
    return true;
  }

  // ---- generation ---------------------------------------------------------------------------

  private static final int[] SHORT_TIMEOUTS_MS = {0, 1, 2, 5, 10, 20};

  static Tree generate(Random r) {
    int mode = r.nextInt(16);
    if (mode < 2) {
      Node root = generate(r, 0, false);
      if (shortDeadline(root) && !witness(root, false)) {
        root = root.withBody(BodyAction.HANG); // see valid(Tree)
      }
      return new Tree(root, true, false);
    }
    if (mode < 4) {
      Tree mid = midInterruptTree(generate(r, 0, true), r);
      if (valid(mid)) {
        return mid;
      }
    }
    return new Tree(generate(r, 0, false), false, false);
  }

  /**
   * Turns {@code root} into a root whose caller is interrupted mid-run by a task: without anything
   * that fails (so the nursery never cancels itself in the same window: known limitation, see
   * docs/RELIABILITY.md), without a limiter (the interrupter must run), without a short deadline.
   */
  private static Tree midInterruptTree(Node root, Random r) {
    Node n = defang(root);
    n = new Node(0, n.tasks(), n.body(), n.deadline(), n.timeoutMillis(), false);
    if (shortDeadline(n)) {
      n = n.withDeadline(Deadline.NONE);
    }
    if (n.body() != BodyAction.HANG) {
      n = n.withBody(BodyAction.RETURN);
    }
    int at = r.nextInt(n.tasks().size() + 1);
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < n.tasks().size(); i++) {
      if (i == at) {
        tasks.add(new InterruptOwner());
      }
      Task t = n.tasks().get(i);
      tasks.add(
          t instanceof CancelSibling c && c.target() >= at ? new CancelSibling(c.target() + 1) : t);
    }
    if (at == n.tasks().size()) {
      tasks.add(new InterruptOwner());
    }
    n = n.withTasks(List.copyOf(tasks));
    if (!witness(n, false)) {
      n = n.withBody(BodyAction.HANG);
    }
    return new Tree(n, false, true);
  }

  /** The same tree without anything that fails. */
  private static Node defang(Node n) {
    List<Task> tasks = new ArrayList<>();
    for (Task t : n.tasks()) {
      tasks.add(
          switch (t) {
            case Throw th -> propagates(th) ? new Value() : th;
            case Nested nested -> new Nested(defang(nested.node()));
            case Start s when s.kind() == StartKind.STARTED_THROW ->
                new Start(StartKind.STARTED_VALUE, s.exception());
            case Spawn sp when sp.child() instanceof Throw th && propagates(th) ->
                new Spawn(new Value());
            case Background b when b.kind() == BackgroundKind.THROW ->
                new Background(BackgroundKind.VALUE, b.exception());
            default -> t;
          });
    }
    BodyAction body = n.body().throwsSomething() ? BodyAction.RETURN : n.body();
    Deadline deadline = n.deadline() == Deadline.FAIL ? Deadline.MOVE_ON : n.deadline();
    boolean open = n.open() && body != BodyAction.HANG;
    return new Node(n.limit(), List.copyOf(tasks), body, deadline, n.timeoutMillis(), open);
  }

  /**
   * For the opt-in interrupt probe: a root run by a caller interrupted mid-run, with whatever may
   * fail left in (so the nursery's own cancellation may race the interrupt), or null if nothing in
   * it may fail. Only N6 (the caller's interrupt survives) is certain there; see
   * NurseryTreePropertyTest#midRunInterruptWithFailuresProbe.
   */
  static @Nullable Node interruptProbeRoot(Random r) {
    Node root = generate(r, 0, true);
    List<Task> tasks = new ArrayList<>(root.tasks());
    tasks.add(new InterruptOwner());
    BodyAction body = root.body() == BodyAction.CANCEL ? BodyAction.RETURN : root.body();
    Deadline deadline = shortDeadline(root) ? Deadline.NONE : root.deadline();
    Node n = new Node(0, List.copyOf(tasks), body, deadline, 0, false);
    return mayFail(n) ? n : null;
  }

  private static Node generate(Random r, int depth, boolean sure) {
    int limit = r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0;
    int deadlineRoll = r.nextInt(12);
    Deadline deadline =
        deadlineRoll < 8
            ? Deadline.NONE
            : deadlineRoll < 10
                ? (r.nextBoolean() ? Deadline.FAIL : Deadline.MOVE_ON)
                : Deadline.LONG;
    int timeout = SHORT_TIMEOUTS_MS[r.nextInt(SHORT_TIMEOUTS_MS.length)];
    boolean open = r.nextInt(5) == 0;
    boolean s = sure || deadline == Deadline.FAIL || deadline == Deadline.MOVE_ON;
    int count = r.nextInt(depth == 0 ? 6 : 4);
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int roll = r.nextInt(22);
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
          if (targetable(tasks.get(j))) {
            targets.add(j);
          }
        }
        t =
            targets.isEmpty()
                ? new Value()
                : new CancelSibling(targets.get(r.nextInt(targets.size())));
      } else if (roll < 13) {
        t = depth < 3 ? new Nested(generate(r, depth + 1, s)) : new Value();
      } else if (roll < 16) {
        t = new Start(StartKind.values()[r.nextInt(5)], Kind.values()[r.nextInt(3)]);
      } else if (roll < 18) {
        int c = r.nextInt(3);
        t =
            new Spawn(
                c == 0
                    ? new Value()
                    : c == 1
                        ? new Throw(Kind.values()[r.nextInt(3)], r.nextInt(4) == 0)
                        : new Hang(r.nextBoolean()));
      } else if (roll < 20) {
        t = new Background(BackgroundKind.values()[r.nextInt(3)], Kind.values()[r.nextInt(3)]);
      } else {
        t = new Shield();
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
    return repair(new Node(limit, List.copyOf(tasks), body, deadline, timeout, open), sure);
  }

  /**
   * Makes one level valid (its subtrees already are): a hang or start nothing certainly serves
   * becomes a value, a hanging body nothing cancels returns, and a short deadline gets something
   * only it can end (a hanging body).
   */
  private static Node repair(Node n, boolean sure) {
    boolean s = sure || shortDeadline(n);
    for (int round = 0; round < 20; round++) {
      boolean changed = false;
      List<Task> tasks = new ArrayList<>(n.tasks());
      for (int i = 0; i < tasks.size(); i++) {
        Task t = tasks.get(i);
        if ((hangLike(t) && !hangAllowed(n, i, s))
            || (t instanceof Start && !startAllowed(n, i, s))) {
          tasks.set(i, new Value());
          changed = true;
          n = n.withTasks(List.copyOf(tasks));
        }
      }
      if (shortDeadline(n) && n.body() == BodyAction.CANCEL) {
        n = n.withBody(BodyAction.HANG);
        changed = true;
      }
      if (n.body() == BodyAction.HANG && !bodyHangAllowed(n, s)) {
        n = n.withBody(BodyAction.RETURN);
        changed = true;
      }
      if (shortDeadline(n) && !witness(n)) {
        n = n.withBody(BodyAction.HANG);
        changed = true;
      }
      if (!changed) {
        break;
      }
    }
    return n;
  }

  // ---- shrinking ----------------------------------------------------------------------------

  /** Simpler variants of {@code tree}, simplest changes first; all valid. */
  static List<Tree> simplifications(Tree tree) {
    List<Tree> out = new ArrayList<>();
    if (tree.preInterrupt()) {
      out.add(new Tree(tree.root(), false, false));
    }
    if (tree.midInterrupt()) {
      List<Task> tasks = tree.root().tasks();
      for (int i = 0; i < tasks.size(); i++) {
        if (tasks.get(i) instanceof InterruptOwner) {
          out.add(new Tree(tree.root().withTasks(without(tasks, i)), false, false));
        }
      }
    }
    for (Node n : simplifications(tree.root())) {
      out.add(new Tree(n, tree.preInterrupt(), tree.midInterrupt()));
    }
    out.removeIf(t -> !valid(t));
    return out;
  }

  private static List<Node> simplifications(Node n) {
    List<Node> out = new ArrayList<>();
    List<Task> tasks = n.tasks();
    for (int i = tasks.size() - 1; i >= 0; i--) {
      out.add(n.withTasks(without(tasks, i)));
    }
    if (n.limit() != 0) {
      out.add(n.withLimit(0));
    }
    if (n.deadline() != Deadline.NONE) {
      out.add(n.withDeadline(Deadline.NONE));
    }
    if (n.open()) {
      out.add(n.withOpen(false));
    }
    if (n.body() != BodyAction.RETURN) {
      out.add(n.withBody(BodyAction.RETURN));
    }
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      switch (t) {
        case Nested nested -> {
          out.add(n.withTasks(with(tasks, i, new Value())));
          for (Node inner : simplifications(nested.node())) {
            out.add(n.withTasks(with(tasks, i, new Nested(inner))));
          }
        }
        case Throw th -> {
          if (th.suppress()) {
            out.add(n.withTasks(with(tasks, i, new Throw(th.kind(), false))));
          }
          if (th.kind() != Kind.UNCHECKED) {
            out.add(n.withTasks(with(tasks, i, new Throw(Kind.UNCHECKED, th.suppress()))));
          }
          out.add(n.withTasks(with(tasks, i, new Value())));
        }
        case Start s -> {
          if (s.kind() != StartKind.STARTED_VALUE) {
            out.add(n.withTasks(with(tasks, i, new Start(StartKind.STARTED_VALUE, s.exception()))));
          }
          if (s.exception() != Kind.UNCHECKED) {
            out.add(n.withTasks(with(tasks, i, new Start(s.kind(), Kind.UNCHECKED))));
          }
          out.add(n.withTasks(with(tasks, i, new Value())));
        }
        case Spawn sp -> {
          out.add(n.withTasks(with(tasks, i, new Value())));
          out.add(n.withTasks(with(tasks, i, sp.child())));
        }
        case Value v -> {}
        case InterruptOwner o -> {}
        default -> out.add(n.withTasks(with(tasks, i, new Value())));
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

  /**
   * What one nursery of the tree did in one run. Task threads write their fields before they end;
   * the oracle reads them after the root returned, which the nurseries' joins order after.
   */
  static final class Exec {
    final Node node;
    final ResultCapture<?>[] caps;
    final Object[] values;
    final Throwable[] thrown;
    final @Nullable Exec[] children;
    final Object[] startValues;
    final @Nullable Object[] startResults;
    final boolean[] taskThrew;
    final @Nullable ResultCapture<?>[] spawned;
    final Object[] spawnValues;
    final @Nullable Throwable[] spawnThrown;
    final boolean[] shieldEntered;
    final boolean[] shieldDone;
    final boolean[] shieldBroken;
    final Object bodyValue = new Object();
    final @Nullable Throwable bodyThrown;
    volatile @Nullable InterruptedException bodyInterrupt;
    volatile @Nullable Boolean sawDeadline;
    volatile @Nullable Thread owner;
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
      startValues = new Object[k];
      startResults = new Object[k];
      taskThrew = new boolean[k];
      spawned = new ResultCapture<?>[k];
      spawnValues = new Object[k];
      spawnThrown = new Throwable[k];
      shieldEntered = new boolean[k];
      shieldDone = new boolean[k];
      shieldBroken = new boolean[k];
      for (int i = 0; i < k; i++) {
        values[i] = new Object();
        startValues[i] = new Object();
        spawnValues[i] = new Object();
        Task t = node.tasks().get(i);
        String where = path + "#" + i;
        switch (t) {
          case Throw th -> thrown[i] = make(th.kind(), where);
          case Nested nested -> children[i] = new Exec(nested.node(), where + "/");
          case Start s -> thrown[i] = make(s.exception(), where);
          case Background b -> thrown[i] = make(b.exception(), where);
          case Spawn sp when sp.child() instanceof Throw th ->
              spawnThrown[i] = make(th.kind(), where + "/spawned");
          default -> {}
        }
      }
      // In the open form the body's exception leaves the block and collects what close() throws.
      boolean suppressible = node.open();
      bodyThrown =
          switch (node.body()) {
            case THROW_CHECKED -> make(Kind.CHECKED, path + "body", suppressible);
            case THROW_UNCHECKED -> make(Kind.UNCHECKED, path + "body", suppressible);
            case THROW_ERROR -> make(Kind.ERROR, path + "body", suppressible);
            default -> null;
          };
    }
  }

  /** Runs the nursery of {@code e} on the current thread, recording what it did. */
  static void run(Exec e) throws Exception {
    e.ran = true;
    e.owner = Thread.currentThread();
    Nursery.Builder builder = Nursery.builder();
    if (e.node.limit() > 0) {
      builder.maxAtOnce(e.node.limit());
    }
    Duration timeout = Duration.ofMillis(e.node.timeoutMillis());
    switch (e.node.deadline()) {
      case NONE -> {}
      case FAIL -> builder.timeout(timeout);
      case MOVE_ON -> builder.timeout(timeout).moveOnTimeout();
      case LONG -> builder.timeout(Duration.ofDays(1));
    }
    try {
      Object v;
      if (e.node.open()) {
        try (Nursery n = builder.open()) {
          v = body(n, e);
          n.join();
        }
      } else {
        v = builder.run(n -> body(n, e));
      }
      e.returnedValue = v;
      e.returned = true;
    } catch (Exception | Error t) {
      e.threw = t;
      throw t;
    }
  }

  private static Object body(Nursery n, Exec e) throws Exception {
    e.sawDeadline = n.deadline() != null;
    List<Task> tasks = e.node.tasks();
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      switch (t) {
        case Start s -> {
          try {
            e.startResults[i] = n.start(startable(e, i, s));
          } catch (RuntimeException x) {
            e.startResults[i] = x;
          }
        }
        case Background b -> e.caps[i] = n.startBackground(background(e, i, b));
        case Throw th when th.suppress() ->
            e.caps[i] = ResultCapture.builder().suppressException().startSoon(n, task(n, e, i));
        default -> e.caps[i] = n.startSoon(task(n, e, i));
      }
    }
    switch (e.node.body()) {
      case RETURN -> {}
      case CANCEL -> n.cancel();
      case THROW_CHECKED, THROW_UNCHECKED, THROW_ERROR ->
          throwIt(Objects.requireNonNull(e.bodyThrown));
      case HANG -> {
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException ie) {
          e.bodyInterrupt = ie;
          throw ie;
        }
      }
    }
    return e.bodyValue;
  }

  private static StartableTask<Object, Object> startable(Exec e, int i, Start s) {
    Object startValue = e.startValues[i];
    Object value = e.values[i];
    Throwable x = e.thrown[i];
    return status -> {
      switch (s.kind()) {
        case STARTED_VALUE -> status.started(startValue);
        case STARTED_THROW -> {
          status.started(startValue);
          e.taskThrew[i] = true;
          throwIt(x);
        }
        case STARTED_HANG -> {
          status.started(startValue);
          new CountDownLatch(1).await();
        }
        case THROW_BEFORE -> {
          e.taskThrew[i] = true;
          throwIt(x);
        }
        case NO_START -> {}
      }
      return value;
    };
  }

  private static VoidTask background(Exec e, int i, Background b) {
    Throwable x = e.thrown[i];
    return () -> {
      switch (b.kind()) {
        case VALUE -> {}
        case THROW -> throwIt(x);
        case HANG -> new CountDownLatch(1).await();
      }
    };
  }

  private static Callable<Object> hang(boolean sleep, Object value) {
    return () -> {
      if (sleep) {
        Thread.sleep(Duration.ofDays(1));
      } else {
        new CountDownLatch(1).await();
      }
      return value;
    };
  }

  private static Callable<Object> task(Nursery n, Exec e, int i) {
    Task t = e.node.tasks().get(i);
    Object value = e.values[i];
    return switch (t) {
      case Value v -> () -> value;
      case Throw th -> {
        Throwable x = e.thrown[i];
        yield () -> throwIt(x);
      }
      case Hang h -> hang(h.sleep(), value);
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
            Objects.requireNonNull(e.caps[c.target()]).cancel();
            return value;
          };
      case Nested nested -> {
        Exec child = Objects.requireNonNull(e.children[i]);
        yield () -> {
          run(child);
          return child.returnedValue;
        };
      }
      case Spawn sp -> {
        Callable<Object> child =
            switch (sp.child()) {
              case Throw th -> {
                Throwable x = Objects.requireNonNull(e.spawnThrown[i]);
                yield () -> throwIt(x);
              }
              case Hang h -> hang(h.sleep(), e.spawnValues[i]);
              default -> {
                Object v = e.spawnValues[i];
                yield () -> v;
              }
            };
        boolean suppress = sp.child() instanceof Throw th && th.suppress();
        yield () -> {
          e.spawned[i] =
              suppress
                  ? ResultCapture.builder().suppressException().startSoon(n, child)
                  : n.startSoon(child);
          return value;
        };
      }
      case Shield sh ->
          () -> {
            Cancellation.shield(() -> {
              e.shieldEntered[i] = true;
              try {
                while (!Cancellation.isCancelled()) {
                  Thread.sleep(Duration.ofMillis(1));
                }
                Thread.sleep(Duration.ofMillis(1)); // must not be interrupted either
                e.shieldDone[i] = true;
              } catch (InterruptedException broken) {
                e.shieldBroken[i] = true;
                throw broken;
              }
              return null;
            });
            new CountDownLatch(1).await(); // the deferred interrupt arrives here
            return value;
          };
      case InterruptOwner o ->
          () -> {
            Objects.requireNonNull(e.owner).interrupt();
            return value;
          };
      case Start s -> throw new IllegalArgumentException("started with start(): " + s);
      case Background b -> throw new IllegalArgumentException("a background task: " + b);
    };
  }

  // ---- the oracle ---------------------------------------------------------------------------

  /** Checks the record of a run of {@code tree}; returns the violations found (empty: all good). */
  static List<String> check(Tree tree, Exec root, boolean interruptedAfter) {
    List<String> out = new ArrayList<>();
    boolean outside = tree.preInterrupt() || tree.midInterrupt();
    if (outside && !interruptedAfter) {
      out.add("the caller was interrupted, but its interrupt status is clear after the run");
    }
    if (!outside && interruptedAfter) {
      out.add("the caller's interrupt status is set after the run");
    }
    if (tree.midInterrupt() && !(root.threw instanceof TaskCancelledException)) {
      out.add(
          "root: the caller was interrupted mid-run, but the nursery ended with "
              + (root.threw != null ? root.threw : "a normal return"));
    }
    check(root, "root", outside, outside, false, out);
    return out;
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
    for (int i = 0; i < node.tasks().size(); i++) {
      String where = path + "#" + i + " " + node.tasks().get(i);
      Task t = node.tasks().get(i);
      if (t instanceof Start s) {
        checkStart(where, e, i, s, nurseryMayCancel, expected, out);
        continue;
      }
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
          check(child, path + "#" + i + "/", mayCancel, c.isCancelRequested(), hasDeadline, out);
        }
        case Start st -> throw new AssertionError("handled above");
      }
    }
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
    } else if (node.body() == BodyAction.HANG) {
      if (node.deadline() != Deadline.MOVE_ON) {
        out.add(path + ": a hanging body returned normally without failures");
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
