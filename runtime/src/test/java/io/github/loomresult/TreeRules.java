package io.github.loomresult;

import io.github.loomresult.NurseryTrees.Background;
import io.github.loomresult.NurseryTrees.BackgroundKind;
import io.github.loomresult.NurseryTrees.BodyAction;
import io.github.loomresult.NurseryTrees.CancelSibling;
import io.github.loomresult.NurseryTrees.Deadline;
import io.github.loomresult.NurseryTrees.Hang;
import io.github.loomresult.NurseryTrees.InterruptOwner;
import io.github.loomresult.NurseryTrees.Kind;
import io.github.loomresult.NurseryTrees.Nested;
import io.github.loomresult.NurseryTrees.Node;
import io.github.loomresult.NurseryTrees.Read;
import io.github.loomresult.NurseryTrees.ReadHow;
import io.github.loomresult.NurseryTrees.Shield;
import io.github.loomresult.NurseryTrees.Spawn;
import io.github.loomresult.NurseryTrees.Start;
import io.github.loomresult.NurseryTrees.StartKind;
import io.github.loomresult.NurseryTrees.Swallow;
import io.github.loomresult.NurseryTrees.Task;
import io.github.loomresult.NurseryTrees.Throw;
import io.github.loomresult.NurseryTrees.Tree;
import io.github.loomresult.NurseryTrees.Value;

/**
 * The static analysis of a tree that the generator and the oracle share: which tasks hang until
 * cancelled, what certainly or possibly fails, what certainly cancels a nursery, and so which trees
 * are {@link #valid(Tree) valid} (certain to end, with an outcome the oracle can judge).
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
final class TreeRules {
  private TreeRules() {}

  static boolean shortDeadline(Node n) {
    return n.deadline() == Deadline.FAIL || n.deadline() == Deadline.MOVE_ON;
  }

  /** Whether the body cancels its own nursery: {@code cancel()}, or before a read. */
  static boolean bodyCancels(Node n) {
    return n.body() == BodyAction.CANCEL
        || (n.body() == BodyAction.READ && n.read() != null && n.read().cancelFirst());
  }

  /**
   * Whether the body itself blocks until something else cancels its nursery: a hanging body, or one
   * waiting in a {@code start} whose task never signals.
   */
  static boolean bodyBlocks(Node n) {
    return n.body() == BodyAction.HANG || n.body() == BodyAction.START_CANCELLED;
  }

  /**
   * Whether a {@link BodyAction#READ} body may read this task: one that ends by itself or only by a
   * cancellation (so its state shows the nursery's cancellation, not another failure's reporting);
   * a task that fails is only read through {@code result()} or wrapped, so the body's exception is
   * a fresh object.
   */
  static boolean readable(Task t, ReadHow how) {
    return t instanceof Value
        || t instanceof Hang
        || t instanceof Swallow
        || (t instanceof Throw && how != ReadHow.EXCEPTION_RETHROWN);
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
    if (n.factory() != null) {
      return false; // the failing task's thread may be the one that is never made
    }
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
    return !bodyCancels(n) && !shortDeadline(n) && certainTaskFailure(n);
  }

  /** Whether anything inside {@code n} may fail (and so cancel its nursery). */
  static boolean mayFail(Node n) {
    if (n.body().throwsSomething() || (n.open() && n.body() == BodyAction.HANG)) {
      return true;
    }
    if (n.deadline() == Deadline.FAIL || n.factory() != null) {
      return true;
    }
    Read read = n.read();
    if (n.body() == BodyAction.READ
        && read != null
        && n.tasks().get(read.target()) instanceof Throw) {
      return true; // the body throws what the failed task left
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
    return fromOutside || bodyCancels(n) || mayFail(n) || shortDeadline(n);
  }

  /**
   * Whether the hang-like task at {@code i} is certainly cancelled; {@code sure}: something (a
   * short deadline here or above, an interrupt of the caller) certainly cancels the nursery.
   */
  static boolean hangAllowed(Node n, int i, boolean sure) {
    if (sure || n.body().throwsSomething() || bodyCancels(n)) {
      return true;
    }
    // Under a limiter, a hang may hold the slot the failing or cancelling sibling waits for.
    // Cancelling a spawner does not cancel what it spawned; a canceller whose thread the factory
    // never made cancels nothing.
    boolean cancelledBySibling =
        targeted(n, i) && !(n.tasks().get(i) instanceof Spawn) && n.factory() == null;
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
    if (n.body() == BodyAction.START_CANCELLED) {
      return false; // its task may hold the slot that a task spawned later waits for
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
    if (n.factory() != null) {
      return false; // the hanging task's thread may be the one that is never made
    }
    if (n.body() == BodyAction.START_CANCELLED && startCounts) {
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
    if ((tree.preInterrupt() || tree.midInterrupt())
        && (root.body() == BodyAction.READ || root.body() == BodyAction.START_CANCELLED)) {
      // A body that ends on a cancelled task while the caller's own interrupt is pending, before
      // the library asked it to cancel, counts as interrupted from outside: a race.
      return false;
    }
    if (tree.preInterrupt() && shortDeadline(root) && !witness(root, false)) {
      // The body's start() fails at once on the pending interrupt and cancels its task, so a
      // started task is no proof that the deadline, not the end of the work, ends the nursery.
      return false;
    }
    if (tree.midInterrupt()) {
      long owners = root.tasks().stream().filter(t -> t instanceof InterruptOwner).count();
      if (owners != 1
          || root.limit() != 0
          || root.open()
          || root.factory() != null
          || !witness(root, false)) {
        return false;
      }
    }
    return valid(root, tree.midInterrupt(), tree.midInterrupt());
  }

  static boolean valid(Node n, boolean sure, boolean isMidInterruptRoot) {
    boolean s = sure || shortDeadline(n);
    if (shortDeadline(n) && (bodyCancels(n) || !witness(n))) {
      return false;
    }
    if (bodyBlocks(n) && !bodyHangAllowed(n, s)) {
      return false;
    }
    if ((n.body() == BodyAction.READ) != (n.read() != null)) {
      return false;
    }
    if (n.body() == BodyAction.READ || n.body() == BodyAction.START_CANCELLED) {
      if (n.open() || n.factory() != null) {
        return false;
      }
    }
    Read read = n.read();
    if (read != null
        && (read.target() < 0
            || read.target() >= n.tasks().size()
            || targeted(n, read.target())
            || !readable(n.tasks().get(read.target()), read.how()))) {
      return false;
    }
    if (n.factory() != null) {
      for (Task t : n.tasks()) {
        if (t instanceof Start || t instanceof InterruptOwner) {
          return false;
        }
      }
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
}
