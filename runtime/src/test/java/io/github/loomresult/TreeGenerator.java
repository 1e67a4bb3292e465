package io.github.loomresult;

import static io.github.loomresult.TreeRules.bodyBlocks;
import static io.github.loomresult.TreeRules.bodyCancels;
import static io.github.loomresult.TreeRules.bodyHangAllowed;
import static io.github.loomresult.TreeRules.hangAllowed;
import static io.github.loomresult.TreeRules.hangLike;
import static io.github.loomresult.TreeRules.mayFail;
import static io.github.loomresult.TreeRules.propagates;
import static io.github.loomresult.TreeRules.readable;
import static io.github.loomresult.TreeRules.shortDeadline;
import static io.github.loomresult.TreeRules.startAllowed;
import static io.github.loomresult.TreeRules.targetable;
import static io.github.loomresult.TreeRules.targeted;
import static io.github.loomresult.TreeRules.valid;
import static io.github.loomresult.TreeRules.witness;

import io.github.loomresult.NurseryTrees.Background;
import io.github.loomresult.NurseryTrees.BackgroundKind;
import io.github.loomresult.NurseryTrees.BodyAction;
import io.github.loomresult.NurseryTrees.CancelSibling;
import io.github.loomresult.NurseryTrees.Deadline;
import io.github.loomresult.NurseryTrees.Factory;
import io.github.loomresult.NurseryTrees.FactoryFailure;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Generates random valid trees from a seeded {@link Random}: draws each nursery, then repairs it so
 * that it keeps the {@link TreeRules} (the same seed always gives the same tree).
 */
final class TreeGenerator {
  private TreeGenerator() {}

  private static final int[] SHORT_TIMEOUTS_MS = {0, 1, 2, 5, 10, 20};

  static Tree generate(Random r) {
    int mode = r.nextInt(16);
    if (mode < 2) {
      Node root = generate(r, 0, false);
      if (root.body() == BodyAction.READ) { // see valid(Tree)
        root = root.withBody(bodyCancels(root) ? BodyAction.CANCEL : BodyAction.RETURN);
      } else if (root.body() == BodyAction.START_CANCELLED) {
        root = root.withBody(BodyAction.HANG);
      }
      if (shortDeadline(root) && !witness(root, false)) {
        root = root.withBody(BodyAction.HANG); // see valid(Tree)
      }
      Tree pre = new Tree(root, true, false);
      if (valid(pre)) {
        return pre;
      }
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
   * Turns {@code root} into a root whose caller is interrupted mid-run by a task: without a limiter
   * (the interrupter must run), a thread factory (its thread must be made), the open form, or a
   * body that reads a task or waits in {@code start}. Half of them keep nothing that fails, no
   * short deadline and no {@code cancel()}, so that the interrupt is certainly what cancels the
   * nursery; the others keep their failures, deadlines and {@code cancel()}, which race the
   * interrupt.
   */
  private static Tree midInterruptTree(Node root, Random r) {
    boolean alone = r.nextInt(3) == 0;
    Node n = alone ? defang(root) : root;
    n = new Node(0, n.tasks(), n.body(), n.deadline(), n.timeoutMillis(), false);
    if (alone && shortDeadline(n)) {
      n = n.withDeadline(Deadline.NONE);
    }
    if (alone ? n.body() != BodyAction.HANG : !(n.body().throwsSomething() || bodyBlocks(n))) {
      n =
          n.withBody(
              alone || n.body() != BodyAction.CANCEL ? BodyAction.RETURN : BodyAction.CANCEL);
    }
    if (n.body() == BodyAction.START_CANCELLED) {
      n = n.withBody(BodyAction.HANG);
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
    BodyAction body =
        n.body().throwsSomething() || n.body() == BodyAction.READ ? BodyAction.RETURN : n.body();
    Deadline deadline = n.deadline() == Deadline.FAIL ? Deadline.MOVE_ON : n.deadline();
    boolean open = n.open() && body != BodyAction.HANG;
    return new Node(n.limit(), List.copyOf(tasks), body, deadline, n.timeoutMillis(), open);
  }

  /**
   * A body that reads a task that ends by itself or by a cancellation (null if there is none), a
   * third of them after cancelling the nursery.
   */
  private static @Nullable Read read(Random r, List<Task> tasks) {
    ReadHow how = ReadHow.values()[r.nextInt(ReadHow.values().length)];
    Node probe = new Node(0, tasks, BodyAction.RETURN);
    List<Integer> targets = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      if (readable(tasks.get(i), how) && !targeted(probe, i)) {
        targets.add(i);
      }
    }
    if (targets.isEmpty()) {
      return null;
    }
    return new Read(targets.get(r.nextInt(targets.size())), how, r.nextInt(3) == 0);
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
    BodyAction body =
        bodyCancels(root) || root.body() == BodyAction.READ ? BodyAction.RETURN : root.body();
    if (body == BodyAction.START_CANCELLED) {
      body = BodyAction.HANG;
    }
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
    int bodyRoll = r.nextInt(actions.length + 3);
    Node n;
    if (bodyRoll < actions.length) {
      n = new Node(limit, List.copyOf(tasks), actions[bodyRoll], deadline, timeout, open);
    } else if (bodyRoll == actions.length) {
      n = new Node(limit, List.copyOf(tasks), BodyAction.START_CANCELLED, deadline, timeout, false);
    } else {
      Read read = read(r, tasks);
      n = new Node(limit, List.copyOf(tasks), BodyAction.RETURN, deadline, timeout, open);
      if (read != null) {
        n = n.withRead(read).withOpen(false);
      }
    }
    if (r.nextInt(8) == 0) {
      n = withFactory(n, r);
    }
    return repair(n, sure);
  }

  /**
   * Gives {@code n} a thread factory that fails once, for one of its first tasks: without the tasks
   * and bodies that a failed thread start would leave waiting (start, reads).
   */
  private static Node withFactory(Node n, Random r) {
    List<Task> tasks = new ArrayList<>();
    for (Task t : n.tasks()) {
      tasks.add(t instanceof Start ? new Value() : t);
    }
    Node f =
        n.withTasks(List.copyOf(tasks))
            .withFactory(
                new Factory(
                    r.nextInt(tasks.size() + 1),
                    FactoryFailure.values()[r.nextInt(FactoryFailure.values().length)]));
    if (f.body() == BodyAction.READ || f.body() == BodyAction.START_CANCELLED) {
      f = f.withBody(BodyAction.RETURN);
    }
    return f;
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
      if (shortDeadline(n) && bodyCancels(n)) {
        n = n.withBody(BodyAction.HANG);
        changed = true;
      }
      if (bodyBlocks(n) && !bodyHangAllowed(n, s)) {
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
}
