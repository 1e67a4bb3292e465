package io.github.loomresult;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * The context every nursery's tasks carry from the code that starts them: the {@link
 * ThreadContext}s registered with {@link ServiceLoader}, and the {@code java.lang.ScopedValue}s
 * named once for the whole application with {@link #carryScopedValues(Object...)}.
 *
 * <p>A task captures the context on the thread that starts it, at the start call, and runs inside
 * it on its own thread; see {@link ThreadContext}. A nursery may name more on its builder ({@code
 * threadContext}, {@code carryScopedValues}); a nursery opened inside a task carries everything its
 * parent carries. With none configured anywhere, starting a task costs one null check.
 *
 * <pre>{@code
 * static final ScopedValue<String> USER = ScopedValue.newInstance();
 *
 * public static void main(String[] args) {
 *   ContextPropagation.carryScopedValues(USER); // once, before the first nursery
 *   ScopedValue.where(USER, "alice").run(() ->
 *       Nursery.runVoid(n -> n.startSoon(() -> System.out.println(USER.get())))); // alice
 * }
 * }</pre>
 *
 * <p>Nurseries read this configuration when they open: one opened before a call to {@link
 * #carryScopedValues(Object...)} does not carry the values it adds.
 */
public final class ContextPropagation {
  private static final List<Object> SCOPED_VALUES = new ArrayList<>(); // guarded by the class

  private static volatile @Nullable List<ThreadContext<?>> providers;
  private static volatile @Nullable ContextCarrier global;

  private ContextPropagation() {}

  /**
   * Makes every nursery opened from now on carry the bindings of {@code scopedValues} (each a
   * {@code java.lang.ScopedValue}) into its tasks. A value that is unbound where a task is started
   * is unbound in the task too. Calling it again adds more; a value named twice is carried once.
   *
   * @throws UnsupportedOperationException on a JDK before 25, which has no final {@code
   *     ScopedValue} API
   * @throws IllegalArgumentException if an argument is not a {@code java.lang.ScopedValue}
   */
  public static void carryScopedValues(Object... scopedValues) {
    List<Object> checked = checkedScopedValues(scopedValues);
    synchronized (ContextPropagation.class) {
      for (Object value : checked) {
        if (SCOPED_VALUES.stream().noneMatch(known -> known == value)) {
          SCOPED_VALUES.add(value);
        }
      }
      List<ThreadContext<?>> loaded = providers;
      if (loaded == null) {
        loaded = loadProviders();
      }
      global = ContextCarrier.of(null, loaded, SCOPED_VALUES);
      providers = loaded;
    }
  }

  /** Checks every argument is a scoped value; shared with the nursery's builder. */
  static List<Object> checkedScopedValues(Object[] scopedValues) {
    List<Object> checked = new ArrayList<>(scopedValues.length);
    for (Object value : scopedValues) {
      checked.add(ScopedValues.checked(value));
    }
    return checked;
  }

  /**
   * What every nursery carries: the providers and the named scoped values, or null for nothing. The
   * providers are loaded on the first call (the first nursery to open).
   *
   * @throws java.util.ServiceConfigurationError if a provider cannot be loaded (the next call tries
   *     again)
   */
  static @Nullable ContextCarrier global() {
    if (providers == null) {
      synchronized (ContextPropagation.class) {
        if (providers == null) {
          List<ThreadContext<?>> loaded = loadProviders();
          global = ContextCarrier.of(null, loaded, SCOPED_VALUES);
          providers = loaded; // after global: a reader that sees providers sees global
        }
      }
    }
    return global;
  }

  @SuppressWarnings("rawtypes") // ThreadContext.class is a raw Class; each provider is generic
  private static List<ThreadContext<?>> loadProviders() {
    List<ThreadContext<?>> found = new ArrayList<>();
    for (ThreadContext provider : ServiceLoader.load(ThreadContext.class)) {
      found.add(provider);
    }
    return List.copyOf(found);
  }
}
