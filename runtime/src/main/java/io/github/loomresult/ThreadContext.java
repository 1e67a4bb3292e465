package io.github.loomresult;

import org.jspecify.annotations.Nullable;

/**
 * A piece of thread-bound context (log fields, a trace span, a security context) that a task
 * carries from the code that started it: the service-provider interface of context propagation.
 *
 * <p>When a task is started ({@code startSoon}, {@code start}, {@code startBackground}, {@code
 * Results.gather}/{@code map}/{@code mapStream}, a generated facade), {@link #capture()} runs on
 * the thread that starts it, at that call: a task that waits in a limiter's queue still carries the
 * context of the code that started it. On the task's thread, just before the task's code runs,
 * {@link #restore} (or {@link #clear()} if nothing was captured) installs that context, and the
 * {@link Scope} it returns is closed when the task's code ends, putting back what the thread had
 * before. A nursery's body runs on its caller's thread and is left as it is.
 *
 * <p>A context is used by a nursery when it is named on its builder ({@link
 * Nursery.Builder#threadContext(ThreadContext)}), and by every nursery when it is registered as a
 * {@link java.util.ServiceLoader} provider of this interface ({@code
 * META-INF/services/io.github.loomresult.ThreadContext}, or {@code provides} in a module). A
 * nursery opened inside a task also uses every context of the task's nursery, at any depth.
 *
 * <p>An exception thrown by {@link #capture()} is thrown to the caller of the start method, and the
 * task's handle fails with it; one thrown on the task's thread, by {@link #restore}, {@link
 * #clear()} or {@link Scope#close()}, fails the task.
 *
 * <pre>{@code
 * public final class MdcContext implements ThreadContext<Map<String, String>> {
 *   public Map<String, String> capture() {
 *     return MDC.getCopyOfContextMap();
 *   }
 *
 *   public Scope restore(Map<String, String> fields) {
 *     Map<String, String> before = MDC.getCopyOfContextMap();
 *     MDC.setContextMap(fields);
 *     return () -> putBack(before);
 *   }
 *
 *   public Scope clear() {
 *     Map<String, String> before = MDC.getCopyOfContextMap();
 *     MDC.clear();
 *     return () -> putBack(before);
 *   }
 *
 *   private static void putBack(Map<String, String> before) {
 *     if (before == null) {
 *       MDC.clear();
 *     } else {
 *       MDC.setContextMap(before);
 *     }
 *   }
 * }
 * }</pre>
 *
 * @param <C> what a capture holds
 */
public interface ThreadContext<C> {
  /**
   * Reads the current thread's context; runs on the thread that starts a task.
   *
   * @return the context to carry, or null if there is none
   */
  @Nullable C capture();

  /**
   * Makes {@code captured} the current thread's context; runs on the task's thread before its code.
   *
   * @return what puts back the thread's context as it was before this call
   */
  Scope restore(C captured);

  /**
   * Removes this context from the current thread, for a task that carries none (its starter had
   * none); runs on the task's thread before its code.
   *
   * @return what puts back the thread's context as it was before this call
   */
  Scope clear();

  /** Puts back the context a thread had before {@link #restore} or {@link #clear()}. */
  @FunctionalInterface
  interface Scope extends AutoCloseable {
    /** Puts back the context; called once, on the task's thread, when its code ends. */
    @Override
    void close();
  }
}
