package io.github.loomresult;

import static io.github.loomresult.TreeRules.valid;

import io.github.loomresult.NurseryTrees.BodyAction;
import io.github.loomresult.NurseryTrees.CancelSibling;
import io.github.loomresult.NurseryTrees.Deadline;
import io.github.loomresult.NurseryTrees.Factory;
import io.github.loomresult.NurseryTrees.FactoryFailure;
import io.github.loomresult.NurseryTrees.InterruptOwner;
import io.github.loomresult.NurseryTrees.Kind;
import io.github.loomresult.NurseryTrees.Nested;
import io.github.loomresult.NurseryTrees.Node;
import io.github.loomresult.NurseryTrees.Read;
import io.github.loomresult.NurseryTrees.ReadHow;
import io.github.loomresult.NurseryTrees.Spawn;
import io.github.loomresult.NurseryTrees.Start;
import io.github.loomresult.NurseryTrees.StartKind;
import io.github.loomresult.NurseryTrees.Task;
import io.github.loomresult.NurseryTrees.Throw;
import io.github.loomresult.NurseryTrees.Tree;
import io.github.loomresult.NurseryTrees.Value;
import java.util.ArrayList;
import java.util.List;

/** Proposes simpler valid variants of a failing tree, for the property test's greedy shrinking. */
final class TreeShrinker {
  private TreeShrinker() {}

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
          out.add(new Tree(without(tree.root(), i), false, false));
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
      out.add(without(n, i));
    }
    Factory factory = n.factory();
    if (factory != null) {
      out.add(n.withFactory(null));
      if (factory.how() != FactoryFailure.THROW_RUNTIME) {
        out.add(n.withFactory(new Factory(factory.failAt(), FactoryFailure.THROW_RUNTIME)));
      }
      if (factory.failAt() > 0) {
        out.add(n.withFactory(new Factory(factory.failAt() - 1, factory.how())));
      }
    }
    Read read = n.read();
    if (read != null) {
      if (read.cancelFirst()) {
        out.add(n.withRead(new Read(read.target(), read.how(), false)));
      }
      if (read.how() != ReadHow.RESULT) {
        out.add(n.withRead(new Read(read.target(), ReadHow.RESULT, read.cancelFirst())));
      }
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

  /**
   * Removes task {@code i} of {@code n}; a body that reads it returns instead, a later read target
   * shifts down.
   */
  private static Node without(Node n, int i) {
    Node out = n.withTasks(without(n.tasks(), i));
    Read read = n.read();
    if (read == null) {
      return out;
    }
    List<Task> tasks = n.tasks();
    int shift = 0;
    for (int j = 0; j < read.target(); j++) {
      if (j == i || (tasks.get(j) instanceof CancelSibling c && c.target() == i)) {
        shift++;
      }
    }
    if (read.target() == i) {
      return out.withBody(BodyAction.RETURN);
    }
    return out.withRead(new Read(read.target() - shift, read.how(), read.cancelFirst()));
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
}
