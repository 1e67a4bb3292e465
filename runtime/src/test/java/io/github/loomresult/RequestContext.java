package io.github.loomresult;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ThreadContext} over a plain {@code ThreadLocal} request id, as an application would
 * write one; it records what it does, so tests can check the order of its calls.
 */
final class RequestContext implements ThreadContext<String> {
  private final ThreadLocal<@Nullable String> id = new ThreadLocal<>();
  final List<String> events = new CopyOnWriteArrayList<>();

  @Nullable String get() {
    return id.get();
  }

  void set(@Nullable String value) {
    if (value == null) {
      id.remove();
    } else {
      id.set(value);
    }
  }

  @Override
  public @Nullable String capture() {
    return id.get();
  }

  @Override
  public Scope restore(String captured) {
    events.add("restore " + captured);
    return replaceWith(captured);
  }

  @Override
  public Scope clear() {
    events.add("clear");
    return replaceWith(null);
  }

  private Scope replaceWith(@Nullable String value) {
    String before = id.get();
    set(value);
    return () -> {
      events.add("close");
      set(before);
    };
  }
}
