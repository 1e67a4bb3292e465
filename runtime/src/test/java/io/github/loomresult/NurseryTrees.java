package io.github.loomresult;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The model of random trees of nested nurseries: what each nursery does (limiter, deadline, open
 * form, body) and each kind of task in it, and the exceptions the tasks throw.
 *
 * <p>The parts that work on it, each in its own class: {@link TreeRules} (which trees certainly end
 * and what their outcome may be; shared by generator and oracle), {@link TreeGenerator} (random
 * valid trees from a seed), {@link TreeRunner} (runs a tree and records what happened), {@link
 * TreeOracle} (checks the record against the rules N3-N11, R5, R8, S1, S2) and {@link TreeShrinker}
 * (simpler variants of a failing tree). {@link NurseryTreePropertyTest} puts them together.
 */
final class NurseryTrees {
  private NurseryTrees() {}

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
    HANG,
    /**
     * Waits until the task {@link Node#read()} names is done (taking its own interrupts and setting
     * the status again afterwards), then reads it and lets what it gets escape: the value (the body
     * returns normally) or the exception.
     */
    READ,
    /**
     * Calls {@code start} for a task that never signals and hangs until cancelled, and lets what
     * {@code start} throws escape.
     */
    START_CANCELLED;

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

  /** How a {@link BodyAction#READ} body reads its task once it is done. */
  enum ReadHow {
    /** {@code result()}: after a failure or cancellation it throws TaskFailedException. */
    RESULT,
    /** {@code exception()}, thrown as it is. */
    EXCEPTION_RETHROWN,
    /** {@code exception()}, thrown as the cause of a fresh IllegalStateException. */
    EXCEPTION_WRAPPED
  }

  /**
   * What a {@link BodyAction#READ} body reads: task {@code target}, {@code how}; {@code
   * cancelFirst}: the body calls {@code cancel()} on its nursery before it waits.
   */
  record Read(int target, ReadHow how, boolean cancelFirst) {
    @Override
    public String toString() {
      return "read(#" + target + "," + how + (cancelFirst ? ",after-cancel" : "") + ")";
    }
  }

  /** How a thread factory fails. */
  enum FactoryFailure {
    THROW_RUNTIME,
    THROW_ERROR,
    RETURN_NULL
  }

  /**
   * A nursery's thread factory: makes virtual threads, except that call number {@code failAt} (from
   * 0) fails {@code how}.
   */
  record Factory(int failAt, FactoryFailure how) {
    @Override
    public String toString() {
      return "factory(" + how + "@" + failAt + ")";
    }
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
   * in try-with-resources instead of {@code run}; {@code read}: what a {@link BodyAction#READ} body
   * reads (null for every other body); {@code factory}: a failing thread factory, or null. The body
   * starts the tasks in order, then does {@code body}.
   */
  record Node(
      int limit,
      List<Task> tasks,
      BodyAction body,
      Deadline deadline,
      int timeoutMillis,
      boolean open,
      @Nullable Read read,
      @Nullable Factory factory) {
    Node(int limit, List<Task> tasks, BodyAction body) {
      this(limit, tasks, body, Deadline.NONE, 0, false);
    }

    Node(
        int limit,
        List<Task> tasks,
        BodyAction body,
        Deadline deadline,
        int timeoutMillis,
        boolean open) {
      this(limit, tasks, body, deadline, timeoutMillis, open, null, null);
    }

    Node withTasks(List<Task> newTasks) {
      return new Node(limit, newTasks, body, deadline, timeoutMillis, open, read, factory);
    }

    /** Any body but {@link BodyAction#READ} (which comes with its {@link Read}). */
    Node withBody(BodyAction newBody) {
      return new Node(limit, tasks, newBody, deadline, timeoutMillis, open, null, factory);
    }

    Node withRead(Read newRead) {
      return new Node(
          limit, tasks, BodyAction.READ, deadline, timeoutMillis, open, newRead, factory);
    }

    Node withLimit(int newLimit) {
      return new Node(newLimit, tasks, body, deadline, timeoutMillis, open, read, factory);
    }

    Node withDeadline(Deadline newDeadline) {
      return new Node(limit, tasks, body, newDeadline, timeoutMillis, open, read, factory);
    }

    Node withOpen(boolean newOpen) {
      return new Node(limit, tasks, body, deadline, timeoutMillis, newOpen, read, factory);
    }

    Node withFactory(@Nullable Factory newFactory) {
      return new Node(limit, tasks, body, deadline, timeoutMillis, open, read, newFactory);
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
      if (factory != null) {
        s.append(factory).append(", ");
      }
      s.append("body=").append(body == BodyAction.READ ? read : body).append("]{");
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

  /**
   * How a thrown exception's cause chain behaves: normally (no cause), as a cycle (its cause's
   * cause is itself), or with a {@code getCause()} that throws. Chosen from where it is thrown, so
   * the same tree throws the same exceptions.
   */
  enum Exotic {
    NONE,
    CYCLIC,
    THROWING_CAUSE;

    static Exotic at(String where) {
      return switch (Math.floorMod(where.hashCode(), 6)) {
        case 0 -> CYCLIC;
        case 1 -> THROWING_CAUSE;
        default -> NONE;
      };
    }

    @Nullable Throwable causeOf(Throwable self) {
      return switch (this) {
        case NONE -> null;
        case CYCLIC -> new Partner(self);
        case THROWING_CAUSE ->
            throw new IllegalStateException("getCause() of " + self.getMessage());
      };
    }
  }

  /** The other half of a cyclic cause chain. */
  static final class Partner extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Throwable back;

    Partner(Throwable back) {
      super("partner", null, false, false);
      this.back = back;
    }

    @Override
    public synchronized Throwable getCause() {
      return back;
    }
  }

  static final class CheckedBoom extends Exception {
    private static final long serialVersionUID = 1L;
    private final Exotic exotic;

    CheckedBoom(String m, boolean suppressible) {
      super(m, null, suppressible, false);
      this.exotic = Exotic.at(m);
    }

    @Override
    public synchronized @Nullable Throwable getCause() {
      return exotic.causeOf(this);
    }
  }

  static final class UncheckedBoom extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Exotic exotic;

    UncheckedBoom(String m, boolean suppressible) {
      super(m, null, suppressible, false);
      this.exotic = Exotic.at(m);
    }

    @Override
    public synchronized @Nullable Throwable getCause() {
      return exotic.causeOf(this);
    }
  }

  static final class BoomError extends Error {
    private static final long serialVersionUID = 1L;
    private final Exotic exotic;

    BoomError(String m, boolean suppressible) {
      super(m, null, suppressible, false);
      this.exotic = Exotic.at(m);
    }

    @Override
    public synchronized @Nullable Throwable getCause() {
      return exotic.causeOf(this);
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
}
