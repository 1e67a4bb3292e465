package io.github.loomresult;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Immutable per-call options of a generated facade, in the style of gRPC's {@code withDeadline}: a
 * timeout, a limiter and a name for the tasks that the facade's methods start. A facade's {@code
 * withTimeout}, {@code withLimiter} and {@code withName} return a copy of the facade, bound to the
 * same nursery and delegate, with these options changed; the facade itself never changes.
 *
 * <p>The options apply to the task that a facade method starts: a single call's task, or the task
 * of a gather ({@code <name>All}) or race ({@code <name>Race}) as a whole. Its timeout is a {@link
 * ResultCapture.Builder#timeout(Duration) per-task timeout}, its limiter admits it as {@link
 * ResultCapture.Builder#limiter(Limiter)} does, and its name replaces the method's name as the
 * task's name.
 *
 * <pre>{@code
 * ConcurrentWeatherService weather = ConcurrentWeatherService.of(nursery, service);
 * ConcurrentWeatherService quick = weather.withTimeout(Duration.ofMillis(300)).withName("quick");
 * ResultCapture<Forecast> paris = quick.forecast("Paris"); // bounded by 300 ms
 * ResultCapture<Forecast> rome = weather.forecast("Rome");  // unbounded: weather is unchanged
 *
 * // Code that builds its own tasks can use options directly:
 * CallOptions options = CallOptions.none().withTimeout(Duration.ofSeconds(1));
 * ResultCapture<String> page = options.captureBuilder("page").startSoon(nursery, () -> fetch());
 * }</pre>
 */
public final class CallOptions {
  private static final CallOptions NONE = new CallOptions(null, null, null);

  private final @Nullable Duration timeout;
  private final @Nullable Limiter limiter;
  private final @Nullable String name;

  private CallOptions(
      @Nullable Duration timeout, @Nullable Limiter limiter, @Nullable String name) {
    this.timeout = timeout;
    this.limiter = limiter;
    this.name = name;
  }

  /** No options: no timeout, no limiter of its own, the method's name. */
  public static CallOptions none() {
    return NONE;
  }

  /**
   * These options with {@code timeout} for each task.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public CallOptions withTimeout(Duration timeout) {
    TaskTimeout.check(timeout);
    return new CallOptions(timeout, limiter, name);
  }

  /** These options with each task taking a slot from {@code limiter}. */
  public CallOptions withLimiter(Limiter limiter) {
    return new CallOptions(timeout, Objects.requireNonNull(limiter, "limiter"), name);
  }

  /** These options with {@code name} as each task's name. */
  public CallOptions withName(String name) {
    return new CallOptions(timeout, limiter, Objects.requireNonNull(name, "name"));
  }

  /** The timeout of each task, or null for none. */
  public @Nullable Duration timeout() {
    return timeout;
  }

  /** The limiter of each task, or null for none of its own. */
  public @Nullable Limiter limiter() {
    return limiter;
  }

  /** The name of each task, or null for the method's name. */
  public @Nullable String name() {
    return name;
  }

  /**
   * A capture builder configured with these options, named {@code defaultName} unless they name the
   * task.
   */
  public ResultCapture.Builder captureBuilder(String defaultName) {
    ResultCapture.Builder builder = ResultCapture.builder().name(name != null ? name : defaultName);
    if (timeout != null) {
      builder.timeout(timeout);
    }
    if (limiter != null) {
      builder.limiter(limiter);
    }
    return builder;
  }

  @Override
  public String toString() {
    return "CallOptions[timeout=" + timeout + ", limiter=" + limiter + ", name=" + name + "]";
  }
}
