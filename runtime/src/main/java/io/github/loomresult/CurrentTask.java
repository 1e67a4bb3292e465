package io.github.loomresult;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.UndeclaredThrowableException;
import org.jspecify.annotations.Nullable;

/**
 * Which task the current thread is running: what nested nurseries, {@link Cancellation} and {@link
 * ResultCapture#run()} look up.
 *
 * <p>A task on the thread its nursery created for it is found through a {@code
 * java.lang.ScopedValue} bound around the task, on JDK 25 and later (where the API is final). A
 * binding costs a carrier and a snapshot (56 B); a {@code ThreadLocal} costs the thread a map, a
 * 16-slot table and a weak entry (136 B, and a {@code WeakReference} for the collector to process),
 * for every task thread: B1 in {@code docs/BENCHMARKS.md}. The runtime is compiled for Java 21, so
 * the scoped value is reached through method handles, resolved once.
 *
 * <p>Everything else (a nursery's body on the caller's thread, a capture run by hand, a nursery
 * nested inside a task, a thread from a user's {@code ThreadFactory}, and every task before JDK 25)
 * uses a {@code ThreadLocal}: those are not structured calls that a binding could wrap. A bound
 * task is the current one while nothing runs inline on top of it and its code has not returned;
 * otherwise the thread-local entry is.
 *
 * <p>The system property {@code io.github.loomresult.threadLocalOnly=true}, read once, keeps every
 * task on the {@code ThreadLocal}, as on JDK 21-24; the tests run both ways.
 */
final class CurrentTask {
  private static final ThreadLocal<@Nullable ResultCapture<?>> INLINE = new ThreadLocal<>();
  private static final Object UNBOUND = new Object();

  /** The {@code ScopedValue<ResultCapture<?>>}, or null where tasks use the thread-local entry. */
  private static final @Nullable Object KEY;

  /** {@code ScopedValue.where(key, value)}, typed {@code (Object, Object) Object}. */
  private static final @Nullable MethodHandle WHERE;

  /** {@code Carrier.run(Runnable)}, typed {@code (Object, Runnable) void}. */
  private static final @Nullable MethodHandle RUN;

  /** {@code ScopedValue.orElse(other)}, typed {@code (Object, Object) Object}. */
  private static final @Nullable MethodHandle OR_ELSE;

  static {
    Object key = null;
    MethodHandle where = null;
    MethodHandle run = null;
    MethodHandle orElse = null;
    if (Runtime.version().feature() >= 25
        && !Boolean.getBoolean("io.github.loomresult.threadLocalOnly")) {
      try {
        Class<?> scopedValue = Class.forName("java.lang.ScopedValue");
        Class<?> carrier = Class.forName("java.lang.ScopedValue$Carrier");
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Object k =
            lookup
                .findStatic(scopedValue, "newInstance", MethodType.methodType(scopedValue))
                .invoke();
        where =
            lookup
                .findStatic(
                    scopedValue, "where", MethodType.methodType(carrier, scopedValue, Object.class))
                .asType(MethodType.methodType(Object.class, Object.class, Object.class));
        run =
            lookup
                .findVirtual(carrier, "run", MethodType.methodType(void.class, Runnable.class))
                .asType(MethodType.methodType(void.class, Object.class, Runnable.class));
        orElse =
            lookup
                .findVirtual(
                    scopedValue, "orElse", MethodType.methodType(Object.class, Object.class))
                .asType(MethodType.methodType(Object.class, Object.class, Object.class));
        key = k;
      } catch (Throwable unavailable) {
        // Not the final API after all: every task uses the thread-local entry.
        key = null;
      }
    }
    KEY = key;
    WHERE = key == null ? null : where;
    RUN = key == null ? null : run;
    OR_ELSE = key == null ? null : orElse;
  }

  private CurrentTask() {}

  /** Whether tasks on their own threads are bound ({@link #runBound}) instead of registered. */
  static boolean bindsTasks() {
    return KEY != null;
  }

  /**
   * Runs {@code body} with {@code task} bound as the current task; only where {@link
   * #bindsTasks()}, on the thread the task's nursery created for it.
   */
  static void runBound(ResultCapture<?> task, Runnable body) {
    try {
      RUN.invokeExact(WHERE.invokeExact(KEY, (Object) task), body);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new UndeclaredThrowableException(t); // Runnable.run throws nothing checked
    }
  }

  /** The task the current thread is running, or null. */
  static @Nullable ResultCapture<?> get() {
    if (KEY != null) {
      Object bound;
      try {
        bound = OR_ELSE.invokeExact(KEY, UNBOUND);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new UndeclaredThrowableException(t);
      }
      if (bound != UNBOUND && ((ResultCapture<?>) bound).isInnermostOnItsThread()) {
        return (ResultCapture<?>) bound;
      }
    }
    return INLINE.get();
  }

  /** Makes {@code task} (or, to restore, the outer one or null) the current thread's entry. */
  static void setEntry(@Nullable ResultCapture<?> task) {
    INLINE.set(task);
  }
}
