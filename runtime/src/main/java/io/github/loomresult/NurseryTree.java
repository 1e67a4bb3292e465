package io.github.loomresult;

import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The live nursery tree, for finding out which nursery waits for which task: while it is enabled,
 * every nursery that opens is registered until it ends, and {@link #dump()} returns a snapshot of
 * them, nested as they run (a nursery opened inside a task appears under that task), each with its
 * name, state, deadline and parent, and its unfinished tasks with their state, thread and stack.
 *
 * <p>Off by default. Enabled by {@link #enable()}, or at start-up by the system property {@code
 * -Dio.github.loomresult.tree=true}; {@code -Dio.github.loomresult.tree.openStacks=true} also
 * records where each nursery was opened (a stack trace per nursery). While it is off, it costs one
 * read of a flag per nursery and nothing per task; while it is on, one registry entry per open
 * nursery and nothing per task (the tasks are read from the nursery's own registry when dumped).
 * The registry never keeps a nursery reachable: it holds weak references, and drops a nursery's
 * entry when the nursery ends.
 *
 * <p>From outside the process, the same dump is an operation of the MBean {@value #MBEAN_NAME}: see
 * {@link #registerMBean()}.
 *
 * <pre>{@code
 * NurseryTree.enable();
 * Nursery.runVoid(n -> {
 *   n.startSoon("slow", () -> slowService.call());
 *   System.out.println(NurseryTree.dump()); // nursery-1 ... task 'slow' RUNNING on nursery-1/slow
 * });
 * }</pre>
 *
 * <p>A snapshot is read without locks while tasks run: each nursery and task is shown as it was at
 * some moment during the dump.
 */
public final class NurseryTree {
  /** The JMX object name of the tree's MBean. */
  public static final String MBEAN_NAME = "io.github.loomresult:type=NurseryTree";

  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final Set<Entry> LIVE = ConcurrentHashMap.newKeySet();
  private static volatile boolean enabled = Boolean.getBoolean("io.github.loomresult.tree");
  private static volatile boolean openStacks =
      Boolean.getBoolean("io.github.loomresult.tree.openStacks");

  static {
    if (Boolean.getBoolean("io.github.loomresult.tree.mbean")) {
      try {
        registerMBean();
      } catch (RuntimeException e) { // a start-up option must not stop the library from loading
        TaskObservers.report(e);
      }
    }
  }

  private NurseryTree() {}

  /** Registers every nursery opened from now on. */
  public static void enable() {
    enabled = true;
  }

  /**
   * Stops registering nurseries. The ones registered stay in dumps until they end.
   *
   * <pre>{@code
   * NurseryTree.disable();
   * }</pre>
   */
  public static void disable() {
    enabled = false;
  }

  /** Whether nurseries are registered as they open. */
  public static boolean isEnabled() {
    return enabled;
  }

  /**
   * Whether to record where each nursery is opened (a stack trace, shown in dumps); off by default,
   * or set by {@code -Dio.github.loomresult.tree.openStacks=true}.
   */
  public static void recordOpenStacks(boolean record) {
    openStacks = record;
  }

  /**
   * Registers the tree's MBean ({@value #MBEAN_NAME}) with the platform MBean server, if it is not
   * registered yet: its operation {@code dump} returns {@link #dump()} as text, and {@code enable}
   * and {@code disable} switch the tree. Also done at start-up by {@code
   * -Dio.github.loomresult.tree.mbean=true}.
   *
   * @throws IllegalStateException if the module {@code java.management} is not available
   */
  public static void registerMBean() {
    if (!OptionalModules.readable("java.management")) {
      throw new IllegalStateException(
          "the nursery tree's MBean needs the module java.management, which is not available");
    }
    NurseryTreeMBean.register();
  }

  /** A snapshot of every registered nursery that is still open, nested as they run. */
  public static Snapshot dump() {
    List<Entry> entries = new ArrayList<>(LIVE);
    entries.sort(Comparator.comparingLong(e -> e.sequence));
    Map<Nursery, Entry> registered = new IdentityHashMap<>();
    for (Entry e : entries) {
      Nursery n = e.get();
      if (n == null) {
        LIVE.remove(e); // never ended (an open() without close), and collected
      } else {
        registered.put(n, e);
      }
    }
    Set<Nursery> shown = Collections.newSetFromMap(new IdentityHashMap<>());
    List<NurseryNode> roots = new ArrayList<>();
    for (Entry e : entries) {
      Nursery n = e.get();
      if (n == null || shown.contains(n)) {
        continue;
      }
      ResultCapture<?> parent = NurseryView.parentTask(n);
      Nursery outer = parent == null ? null : parent.nursery;
      if (outer != null && registered.containsKey(outer)) {
        continue; // shown under its parent's task
      }
      roots.add(node(n, registered, shown));
    }
    // A nursery whose parent ended during the dump is not under it: show it on its own.
    for (Entry e : entries) {
      Nursery n = e.get();
      if (n != null && !shown.contains(n)) {
        roots.add(node(n, registered, shown));
      }
    }
    return new Snapshot(Instant.now(), List.copyOf(roots));
  }

  private static NurseryNode node(
      Nursery nursery, Map<Nursery, Entry> registered, Set<Nursery> shown) {
    shown.add(nursery);
    List<TaskNode> tasks = new ArrayList<>();
    int finished = 0;
    for (ResultCapture<?> task : NurseryView.liveTasks(nursery)) {
      if (task.isDone()) {
        finished++;
        continue;
      }
      Thread thread = task.thread();
      List<NurseryNode> nested = new ArrayList<>();
      for (Nursery inner : task.nestedNurseries()) {
        if (!shown.contains(inner)) {
          nested.add(node(inner, registered, shown));
        }
      }
      tasks.add(
          new TaskNode(
              task.name(),
              task.state(),
              thread == null ? null : thread.getName(),
              thread == null ? List.of() : List.of(thread.getStackTrace()),
              List.copyOf(nested)));
    }
    Entry entry = registered.get(nursery);
    Throwable opened = entry == null ? null : entry.openedAt;
    return new NurseryNode(
        nursery.name(),
        NurseryView.stateForDump(nursery),
        nursery.deadline(),
        Observability.parentName(nursery),
        finished,
        List.copyOf(tasks),
        opened == null ? List.of() : List.of(opened.getStackTrace()));
  }

  // ---- the registry -------------------------------------------------------------------------

  /** Registers an opening nursery. */
  static void add(Nursery nursery, NurseryProbe probe) {
    Entry entry =
        new Entry(
            nursery,
            SEQUENCE.incrementAndGet(),
            openStacks ? new Throwable("nursery '" + nursery.name() + "' opened here") : null);
    probe.entry = entry;
    LIVE.add(entry);
  }

  /** Drops an ending nursery, if it was registered. */
  static void remove(NurseryProbe probe) {
    Entry entry = probe.entry;
    if (entry != null) {
      LIVE.remove(entry);
      entry.clear();
    }
  }

  /** A registered nursery: weakly, so that the registry never keeps one alive. */
  static final class Entry extends WeakReference<Nursery> {
    final long sequence;
    final @Nullable Throwable openedAt;

    Entry(Nursery nursery, long sequence, @Nullable Throwable openedAt) {
      super(nursery);
      this.sequence = sequence;
      this.openedAt = openedAt;
    }
  }

  // ---- the snapshot -------------------------------------------------------------------------

  /**
   * The open nurseries at one moment, outermost first; {@link #toString()} prints them as an
   * indented tree.
   *
   * <pre>{@code
   * NurseryTree.Snapshot snapshot = NurseryTree.dump();
   * List<String> waiting = snapshot.tasks().stream().map(NurseryTree.TaskNode::name).toList();
   * }</pre>
   *
   * @param takenAt when the dump was taken
   * @param nurseries the outermost registered nurseries; nested ones are under their tasks
   */
  public record Snapshot(Instant takenAt, List<NurseryNode> nurseries) {
    /** Copies the list. */
    public Snapshot {
      Objects.requireNonNull(takenAt, "takenAt");
      nurseries = List.copyOf(nurseries);
    }

    /** Every task in the snapshot, at any depth, outer nurseries' tasks before inner ones'. */
    public List<TaskNode> tasks() {
      List<TaskNode> all = new ArrayList<>();
      for (NurseryNode n : nurseries) {
        n.collectTasks(all);
      }
      return all;
    }

    /** Every nursery in the snapshot, at any depth. */
    public List<NurseryNode> allNurseries() {
      List<NurseryNode> all = new ArrayList<>();
      for (NurseryNode n : nurseries) {
        n.collectNurseries(all);
      }
      return all;
    }

    /** The tree as indented text, with each task's stack. */
    @Override
    public String toString() {
      StringBuilder out = new StringBuilder("loomresult nursery tree at ").append(takenAt);
      if (nurseries.isEmpty()) {
        out.append(": no open nursery registered");
        if (!isEnabled()) {
          out.append(" (the tree is disabled: NurseryTree.enable() or")
              .append(" -Dio.github.loomresult.tree=true)");
        }
      }
      out.append('\n');
      for (NurseryNode n : nurseries) {
        n.print(out, "");
      }
      return out.toString();
    }
  }

  /**
   * One open nursery in a {@link Snapshot}.
   *
   * <pre>{@code
   * for (NurseryTree.NurseryNode n : NurseryTree.dump().allNurseries()) {
   *   System.out.println(n.name() + " " + n.state() + " " + n.tasks().size() + " tasks");
   * }
   * }</pre>
   *
   * @param name the nursery's name
   * @param state open or cancelled, and whether its body still runs or it waits for its tasks
   * @param deadline its effective deadline, or null
   * @param parent the enclosing task as {@code nursery/task}, or null for an outermost nursery
   * @param finishedTasks how many of its tasks have finished but are still in its registry
   * @param tasks its unfinished tasks, the body (named {@code body}) first, then in start order
   * @param openedAt where it was opened, if open stacks were recorded; else empty
   */
  public record NurseryNode(
      String name,
      String state,
      @Nullable Instant deadline,
      @Nullable String parent,
      int finishedTasks,
      List<TaskNode> tasks,
      List<StackTraceElement> openedAt) {
    /** Copies the lists. */
    public NurseryNode {
      tasks = List.copyOf(tasks);
      openedAt = List.copyOf(openedAt);
    }

    private void collectTasks(List<TaskNode> all) {
      all.addAll(tasks);
      for (TaskNode t : tasks) {
        for (NurseryNode inner : t.nested()) {
          inner.collectTasks(all);
        }
      }
    }

    private void collectNurseries(List<NurseryNode> all) {
      all.add(this);
      for (TaskNode t : tasks) {
        for (NurseryNode inner : t.nested()) {
          inner.collectNurseries(all);
        }
      }
    }

    private void print(StringBuilder out, String indent) {
      out.append(indent).append("nursery '").append(name).append("' ").append(state);
      if (deadline != null) {
        out.append(", deadline ").append(deadline);
      }
      if (parent != null) {
        out.append(", in ").append(parent);
      }
      out.append(", ").append(tasks.size()).append(" unfinished, ");
      out.append(finishedTasks).append(" finished\n");
      for (StackTraceElement e : openedAt) {
        out.append(indent).append("    opened at ").append(e).append('\n');
      }
      for (TaskNode t : tasks) {
        t.print(out, indent + "  ");
      }
    }
  }

  /**
   * One unfinished task in a {@link Snapshot}.
   *
   * <pre>{@code
   * NurseryTree.dump().tasks().stream()
   *     .filter(t -> t.state() == TaskState.RUNNING)
   *     .forEach(t -> System.out.println(t.name() + " on " + t.thread()));
   * }</pre>
   *
   * @param name the task's name
   * @param state pending (not begun, or queued for a limiter) or running
   * @param thread the name of the thread running it, or null if it has none yet
   * @param stack that thread's stack, innermost first; empty without a thread
   * @param nested the nurseries opened inside this task that are still open
   */
  public record TaskNode(
      String name,
      TaskState state,
      @Nullable String thread,
      List<StackTraceElement> stack,
      List<NurseryNode> nested) {
    /** Copies the lists. */
    public TaskNode {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(state, "state");
      stack = List.copyOf(stack);
      nested = List.copyOf(nested);
    }

    private void print(StringBuilder out, String indent) {
      out.append(indent).append("task '").append(name).append("' ").append(state);
      if (thread != null) {
        out.append(" on ").append(thread);
      }
      out.append('\n');
      for (StackTraceElement e : stack) {
        out.append(indent).append("    at ").append(e).append('\n');
      }
      for (NurseryNode inner : nested) {
        inner.print(out, indent + "  ");
      }
    }
  }

  /** How many nurseries are registered now (ended ones are not). */
  static int registeredCount() {
    return LIVE.size();
  }
}
