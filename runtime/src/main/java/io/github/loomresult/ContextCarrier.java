package io.github.loomresult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * The context a nursery's tasks carry from the code that starts them: its {@link ThreadContext}s
 * and named {@code java.lang.ScopedValue}s, fixed when the nursery opens. A nursery without any has
 * none ({@code null}), so starting a task costs it one null check.
 *
 * <p>Immutable; shared by a nursery and the nurseries nested in its tasks.
 */
final class ContextCarrier {
  private static final ThreadContext<?>[] NO_CONTEXTS = {};
  private static final Object[] NO_SCOPED_VALUES = {};

  private final ThreadContext<?>[] contexts;
  private final Object[] scopedValues;

  private ContextCarrier(ThreadContext<?>[] contexts, Object[] scopedValues) {
    this.contexts = contexts;
    this.scopedValues = scopedValues;
  }

  /**
   * The carrier of {@code inherited}'s contexts followed by {@code contexts} and {@code
   * scopedValues} (each once, by identity), or null if there are none at all.
   */
  static @Nullable ContextCarrier of(
      @Nullable ContextCarrier inherited,
      List<? extends ThreadContext<?>> contexts,
      List<?> scopedValues) {
    if (contexts.isEmpty() && scopedValues.isEmpty()) {
      return inherited;
    }
    List<ThreadContext<?>> allContexts = new ArrayList<>();
    List<Object> allScopedValues = new ArrayList<>();
    if (inherited != null) {
      Collections.addAll(allContexts, inherited.contexts);
      Collections.addAll(allScopedValues, inherited.scopedValues);
    }
    addNew(allContexts, contexts);
    addNew(allScopedValues, scopedValues);
    if (allContexts.isEmpty() && allScopedValues.isEmpty()) {
      return null;
    }
    return new ContextCarrier(
        allContexts.isEmpty() ? NO_CONTEXTS : allContexts.toArray(NO_CONTEXTS),
        allScopedValues.isEmpty() ? NO_SCOPED_VALUES : allScopedValues.toArray());
  }

  private static <E> void addNew(List<E> to, List<? extends E> from) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    seen.addAll(to);
    for (E e : from) {
      if (seen.add(e)) {
        to.add(e);
      }
    }
  }

  /**
   * Captures the current thread's context, on the thread that starts a task, and returns {@code
   * body} wrapped to run inside that context on the task's thread.
   */
  <T> Callable<T> capture(Callable<? extends T> body) {
    @Nullable Object[] captured = new Object[contexts.length];
    for (int i = 0; i < contexts.length; i++) {
      captured[i] = contexts[i].capture();
    }
    @Nullable Object[] values = null;
    if (scopedValues.length > 0) {
      values = new Object[scopedValues.length];
      for (int i = 0; i < scopedValues.length; i++) {
        values[i] = ScopedValues.read(scopedValues[i]);
      }
    }
    return new CarriedCall<>(body, contexts, captured, scopedValues, values);
  }

  @Override
  public String toString() {
    return "ContextCarrier[contexts="
        + List.of(contexts)
        + ", scopedValues="
        + List.of(scopedValues)
        + "]";
  }
}
