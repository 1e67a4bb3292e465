package io.github.loomresult.context.opentelemetry;

import io.github.loomresult.ThreadContext;
import io.opentelemetry.context.Context;
import org.jspecify.annotations.Nullable;

/**
 * Carries the OpenTelemetry {@link Context} (the current span, baggage) into loomresult tasks, for
 * applications that use OpenTelemetry without Micrometer: a span started in a task is a child of
 * the span current where the task was started, across nested nurseries and limiter queues.
 *
 * <p>With this module on the class path, every nursery's tasks carry it (this class is a {@link
 * java.util.ServiceLoader} provider of {@link ThreadContext}). The context is read on the thread
 * that starts a task, at the start call, made current around the task's code with {@link
 * Context#makeCurrent()}, and that scope is closed when the code ends.
 *
 * <pre>{@code
 * Span request = tracer.spanBuilder("GET /page").startSpan();
 * try (Scope scope = request.makeCurrent()) {
 *   Nursery.runVoid(n -> n.startSoon(() -> {
 *     Span child = tracer.spanBuilder("fetch").startSpan(); // a child of "GET /page"
 *     child.end();
 *     return null;
 *   }));
 * } finally {
 *   request.end();
 * }
 * }</pre>
 */
public final class OpenTelemetryContext implements ThreadContext<Context> {
  /** Creates the context carrier; the service loader calls this. */
  public OpenTelemetryContext() {}

  @Override
  public @Nullable Context capture() {
    Context current = Context.current();
    return current == Context.root() ? null : current;
  }

  @Override
  public Scope restore(Context captured) {
    return captured.makeCurrent()::close;
  }

  @Override
  public Scope clear() {
    return Context.root().makeCurrent()::close;
  }
}
