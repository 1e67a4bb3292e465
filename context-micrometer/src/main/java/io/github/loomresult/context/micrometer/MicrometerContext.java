package io.github.loomresult.context.micrometer;

import io.github.loomresult.ThreadContext;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.Objects;

/**
 * Carries every {@code ThreadLocalAccessor} registered with Micrometer's context-propagation into
 * loomresult tasks: SLF4J's MDC, Micrometer Tracing's span, a security context, anything with an
 * accessor.
 *
 * <p>With this module on the class path, every nursery's tasks carry the accessors of {@link
 * ContextRegistry#getInstance()} (this class is a {@link java.util.ServiceLoader} provider of
 * {@link ThreadContext}). A snapshot is captured on the thread that starts a task, at the start
 * call; on the task's thread it is installed with every other registered accessor cleared, and the
 * thread's values from before are put back when the task's code ends.
 *
 * <pre>{@code
 * ContextRegistry.getInstance().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
 * MDC.put("requestId", "r-42");
 * Nursery.runVoid(n -> n.startSoon(() -> log.info("fetching"))); // logged with requestId=r-42
 * }</pre>
 *
 * <p>For one nursery with a registry of its own instead: {@code Nursery.builder().threadContext(new
 * MicrometerContext(registry))}.
 */
public final class MicrometerContext implements ThreadContext<ContextSnapshot> {
  private final ContextSnapshotFactory snapshots;

  /** Carries the accessors of the global registry, {@link ContextRegistry#getInstance()}. */
  public MicrometerContext() {
    this(ContextRegistry.getInstance());
  }

  /** Carries the accessors of {@code registry}. */
  public MicrometerContext(ContextRegistry registry) {
    this.snapshots =
        ContextSnapshotFactory.builder()
            .contextRegistry(Objects.requireNonNull(registry, "registry"))
            .clearMissing(true) // a task sees exactly its starter's values, nothing of the thread's
            .build();
  }

  @Override
  public ContextSnapshot capture() {
    return snapshots.captureAll();
  }

  @Override
  public Scope restore(ContextSnapshot captured) {
    return captured.setThreadLocals()::close;
  }

  @Override
  public Scope clear() {
    return snapshots.captureFrom().setThreadLocals()::close;
  }
}
