package io.github.loomresult;

import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * A task's code with the context captured when it was started: on the task's thread it binds the
 * scoped values, installs each {@link ThreadContext} in order, runs the code, and closes the
 * contexts' scopes in reverse order, putting back what the thread had before.
 *
 * <p>One per task, called once, on the task's thread ({@link Runnable} only for the scoped-value
 * binding, which takes a {@code Runnable}).
 */
final class CarriedCall<T> implements Callable<T>, Runnable {
  private final Callable<? extends T> body;
  private final ThreadContext<?>[] contexts;
  private final @Nullable Object[] captured;
  private final Object[] scopedValues;
  private final @Nullable Object @Nullable [] values;

  // The outcome of run(), inside the scoped-value binding; read by call() after the binding ends.
  private @Nullable T value;
  private @Nullable Throwable failure;

  CarriedCall(
      Callable<? extends T> body,
      ThreadContext<?>[] contexts,
      @Nullable Object[] captured,
      Object[] scopedValues,
      @Nullable Object @Nullable [] values) {
    this.body = body;
    this.contexts = contexts;
    this.captured = captured;
    this.scopedValues = scopedValues;
    this.values = values;
  }

  /** The code this call runs inside the context. */
  Callable<? extends T> body() {
    return body;
  }

  @Override
  public T call() throws Exception {
    if (values == null) {
      return callInThreadContexts();
    }
    ScopedValues.runWith(scopedValues, values, this);
    Throwable f = failure;
    if (f != null) {
      throw asThrowable(f);
    }
    return value;
  }

  /** The part of {@link #call()} inside the scoped-value binding. */
  @Override
  public void run() {
    try {
      value = callInThreadContexts();
    } catch (Throwable t) {
      failure = t;
    }
  }

  private T callInThreadContexts() throws Exception {
    ThreadContext.Scope[] scopes = new ThreadContext.Scope[contexts.length];
    int installed = 0;
    T result = null;
    Throwable failed = null;
    try {
      for (; installed < contexts.length; installed++) {
        scopes[installed] = install(contexts[installed], captured[installed]);
      }
      result = body.call();
    } catch (Throwable t) {
      failed = t;
    }
    for (int i = installed - 1; i >= 0; i--) {
      try {
        scopes[i].close();
      } catch (Throwable t) {
        if (failed == null) {
          failed = t;
        } else {
          failed.addSuppressed(t);
        }
      }
    }
    if (failed != null) {
      throw asThrowable(failed);
    }
    return result;
  }

  @SuppressWarnings("unchecked") // captured by the same context's capture()
  private static <C> ThreadContext.Scope install(ThreadContext<C> context, @Nullable Object c) {
    ThreadContext.Scope scope = c == null ? context.clear() : context.restore((C) c);
    if (scope == null) {
      throw new NullPointerException(context + " returned a null Scope");
    }
    return scope;
  }

  /** {@code t} as something {@code call()} may throw: an Error is thrown by the caller as is. */
  private static Exception asThrowable(Throwable t) {
    if (t instanceof Error e) {
      throw e;
    }
    if (t instanceof Exception e) {
      return e;
    }
    return new UndeclaredThrowableException(t); // only a sneaky throw gets here
  }
}
