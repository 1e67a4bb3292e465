package io.github.loomresult;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code java.lang.ScopedValue} operations that carrying named scoped values into tasks needs:
 * read a value on the starting thread, and bind the values read around the task on its thread.
 *
 * <p>The runtime is compiled for Java 21, where {@code ScopedValue} is a preview API (final from
 * JDK 25), so it is reached through method handles, resolved on first use. On a JDK without the
 * final API, naming a scoped value fails with a clear {@link UnsupportedOperationException}.
 */
final class ScopedValues {
  /** What {@link #read} returns for a value that is not bound on the current thread. */
  static final Object UNBOUND = new Object();

  private ScopedValues() {}

  /**
   * Checks that {@code value} is a {@code java.lang.ScopedValue} and returns it.
   *
   * @throws UnsupportedOperationException if this JDK has no final {@code ScopedValue} API
   * @throws IllegalArgumentException if {@code value} is not a {@code ScopedValue}
   */
  static Object checked(Object value) {
    Objects.requireNonNull(value, "scopedValue");
    Api api = Api.get();
    if (!api.type.isInstance(value)) {
      throw new IllegalArgumentException(
          "not a java.lang.ScopedValue: " + value + " (" + value.getClass().getName() + ")");
    }
    return value;
  }

  /** The value {@code scopedValue} has on the current thread, or {@link #UNBOUND}. */
  static @Nullable Object read(Object scopedValue) {
    try {
      return Api.get().orElse.invokeExact(scopedValue, UNBOUND);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new UndeclaredThrowableException(t);
    }
  }

  /**
   * Runs {@code body} with {@code scopedValues[i]} bound to {@code values[i]}, skipping the values
   * that were {@link #UNBOUND}. With none to bind, runs {@code body} as it is.
   */
  static void runWith(Object[] scopedValues, @Nullable Object[] values, Runnable body) {
    Api api = Api.get();
    Object carrier = null;
    try {
      for (int i = 0; i < scopedValues.length; i++) {
        if (values[i] == UNBOUND) {
          continue;
        }
        carrier =
            carrier == null
                ? api.where.invokeExact(scopedValues[i], values[i])
                : api.carrierWhere.invokeExact(carrier, scopedValues[i], values[i]);
      }
      if (carrier == null) {
        body.run();
      } else {
        api.run.invokeExact(carrier, body);
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new UndeclaredThrowableException(t); // Runnable.run throws nothing checked
    }
  }

  /** The resolved API; resolution is attempted once, and its failure is kept to be reported. */
  private static final class Api {
    private static final @Nullable Api API;
    private static final @Nullable Throwable UNAVAILABLE;

    static {
      Api api = null;
      Throwable unavailable = null;
      if (Runtime.version().feature() >= 25) { // before 25 the API is a preview, or absent
        try {
          api = new Api();
        } catch (ReflectiveOperationException | RuntimeException e) {
          unavailable = e;
        }
      }
      API = api;
      UNAVAILABLE = unavailable;
    }

    final Class<?> type;

    /** {@code ScopedValue.orElse(other)}, typed {@code (Object, Object) Object}. */
    final MethodHandle orElse;

    /** {@code ScopedValue.where(key, value)}, typed {@code (Object, Object) Object}. */
    final MethodHandle where;

    /** {@code Carrier.where(key, value)}, typed {@code (Object, Object, Object) Object}. */
    final MethodHandle carrierWhere;

    /** {@code Carrier.run(Runnable)}, typed {@code (Object, Runnable) void}. */
    final MethodHandle run;

    private Api() throws ReflectiveOperationException {
      Class<?> scopedValue = Class.forName("java.lang.ScopedValue");
      Class<?> carrier = Class.forName("java.lang.ScopedValue$Carrier");
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      type = scopedValue;
      orElse =
          lookup
              .findVirtual(scopedValue, "orElse", MethodType.methodType(Object.class, Object.class))
              .asType(MethodType.methodType(Object.class, Object.class, Object.class));
      where =
          lookup
              .findStatic(
                  scopedValue, "where", MethodType.methodType(carrier, scopedValue, Object.class))
              .asType(MethodType.methodType(Object.class, Object.class, Object.class));
      carrierWhere =
          lookup
              .findVirtual(
                  carrier, "where", MethodType.methodType(carrier, scopedValue, Object.class))
              .asType(
                  MethodType.methodType(Object.class, Object.class, Object.class, Object.class));
      run =
          lookup
              .findVirtual(carrier, "run", MethodType.methodType(void.class, Runnable.class))
              .asType(MethodType.methodType(void.class, Object.class, Runnable.class));
    }

    static Api get() {
      Api api = API;
      if (api == null) {
        throw new UnsupportedOperationException(
            "carrying java.lang.ScopedValue bindings into tasks needs JDK 25 or later (the final"
                + " ScopedValue API); this is JDK "
                + Runtime.version(),
            UNAVAILABLE);
      }
      return api;
    }
  }
}
