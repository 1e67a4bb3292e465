package io.github.loomresult.micrometer;

import io.github.loomresult.Limiter;
import io.github.loomresult.Nursery;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.TaskObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Binds loomresult's task metrics to a Micrometer registry, through a {@link TaskObserver}: every
 * task started in a nursery after {@link #bindTo} is counted and timed, tagged with its nursery.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #STARTED}</td><td>counter</td><td>nursery</td></tr>
 *   <tr><td>{@value #COMPLETED}</td><td>counter</td><td>nursery, outcome</td></tr>
 *   <tr><td>{@value #QUEUE_WAIT}</td><td>timer</td><td>nursery</td></tr>
 *   <tr><td>{@value #RUN}</td><td>timer</td><td>nursery, outcome</td></tr>
 *   <tr><td>{@value #LIVE}</td><td>gauge</td><td>nursery</td></tr>
 * </table>
 *
 * <p>{@code outcome} is {@code succeeded}, {@code failed} or {@code cancelled}. {@code nursery} is
 * the nursery's name for named nurseries, and {@value #UNNAMED} for those with a generated name
 * ({@code nursery-N}), so the number of tags stays bounded; a function given to {@link
 * #LoomResultMetrics(Function)} can choose otherwise. {@value #QUEUE_WAIT} times only the tasks
 * that queued for a limiter; {@value #RUN} times the task's code, and is not recorded for tasks
 * that never ran. {@value #LIVE} counts the tasks started and not yet ended.
 *
 * <pre>{@code
 * MeterRegistry registry = new SimpleMeterRegistry();
 * try (LoomResultMetrics metrics = new LoomResultMetrics()) {
 *   metrics.bindTo(registry);
 *   Nursery.builder().name("checkout").runVoid(n -> n.startSoon(() -> charge(order)));
 * }
 * double done = registry.get(LoomResultMetrics.COMPLETED).tag("outcome", "succeeded").counter().count();
 * }</pre>
 */
public final class LoomResultMetrics implements MeterBinder, AutoCloseable {
  /** Counter of started tasks. */
  public static final String STARTED = "loomresult.tasks.started";

  /** Counter of ended tasks, by outcome. */
  public static final String COMPLETED = "loomresult.tasks.completed";

  /** Timer of the time tasks waited in a limiter's queue. */
  public static final String QUEUE_WAIT = "loomresult.tasks.queue.wait";

  /** Timer of the time tasks' code ran, by outcome. */
  public static final String RUN = "loomresult.tasks.run";

  /** Gauge of the tasks started and not yet ended. */
  public static final String LIVE = "loomresult.tasks.live";

  /** The nursery tag of nurseries without a name of their own. */
  public static final String UNNAMED = "unnamed";

  private static final Pattern GENERATED = Pattern.compile("nursery-[0-9]+");

  private final Function<Nursery, String> nurseryTag;
  private final List<TaskObserver.Registration> registrations = new CopyOnWriteArrayList<>();

  /** Tags tasks with their nursery's name, or {@value #UNNAMED} for a generated name. */
  public LoomResultMetrics() {
    this(n -> GENERATED.matcher(n.name()).matches() ? UNNAMED : n.name());
  }

  /** Tags tasks with {@code nurseryTag} of their nursery; it must return few distinct values. */
  public LoomResultMetrics(Function<Nursery, String> nurseryTag) {
    this.nurseryTag = Objects.requireNonNull(nurseryTag, "nurseryTag");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    registrations.add(TaskObserver.register(new Recorder(registry)));
  }

  /** Stops counting tasks started from now on, in every registry bound. */
  @Override
  public void close() {
    for (TaskObserver.Registration r : registrations) {
      r.close();
    }
    registrations.clear();
  }

  /** The meters of one nursery tag in one registry. */
  private static final class NurseryMeters {
    final Counter started;
    final Counter succeeded;
    final Counter failed;
    final Counter cancelled;
    final Timer queueWait;
    final Timer runSucceeded;
    final Timer runFailed;
    final Timer runCancelled;
    final AtomicInteger live = new AtomicInteger();

    NurseryMeters(MeterRegistry registry, String nursery) {
      started = registry.counter(STARTED, "nursery", nursery);
      succeeded = registry.counter(COMPLETED, "nursery", nursery, "outcome", "succeeded");
      failed = registry.counter(COMPLETED, "nursery", nursery, "outcome", "failed");
      cancelled = registry.counter(COMPLETED, "nursery", nursery, "outcome", "cancelled");
      queueWait = registry.timer(QUEUE_WAIT, "nursery", nursery);
      runSucceeded = registry.timer(RUN, "nursery", nursery, "outcome", "succeeded");
      runFailed = registry.timer(RUN, "nursery", nursery, "outcome", "failed");
      runCancelled = registry.timer(RUN, "nursery", nursery, "outcome", "cancelled");
      Gauge.builder(LIVE, live, AtomicInteger::get).tag("nursery", nursery).register(registry);
    }
  }

  /** The observer bound to one registry. */
  private final class Recorder implements TaskObserver {
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, NurseryMeters> byNursery = new ConcurrentHashMap<>();

    Recorder(MeterRegistry registry) {
      this.registry = registry;
    }

    private NurseryMeters meters(Nursery nursery) {
      return byNursery.computeIfAbsent(
          nurseryTag.apply(nursery), tag -> new NurseryMeters(registry, tag));
    }

    @Override
    public void started(ResultCapture<?> task, Nursery nursery) {
      NurseryMeters m = meters(nursery);
      m.started.increment();
      m.live.incrementAndGet();
    }

    @Override
    public void queued(ResultCapture<?> task, Nursery nursery, Limiter limiter, long waitedNanos) {
      meters(nursery).queueWait.record(waitedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void succeeded(ResultCapture<?> task, Nursery nursery, long runNanos) {
      NurseryMeters m = meters(nursery);
      m.succeeded.increment();
      m.runSucceeded.record(runNanos, TimeUnit.NANOSECONDS);
      m.live.decrementAndGet();
    }

    @Override
    public void failed(ResultCapture<?> task, Nursery nursery, Throwable failure, long runNanos) {
      NurseryMeters m = meters(nursery);
      m.failed.increment();
      if (runNanos > 0) {
        m.runFailed.record(runNanos, TimeUnit.NANOSECONDS);
      }
      m.live.decrementAndGet();
    }

    @Override
    public void cancelled(ResultCapture<?> task, Nursery nursery, long runNanos) {
      NurseryMeters m = meters(nursery);
      m.cancelled.increment();
      if (runNanos > 0) {
        m.runCancelled.record(runNanos, TimeUnit.NANOSECONDS);
      }
      m.live.decrementAndGet();
    }
  }
}
