package io.github.loomresult;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One {@link Limiter} per key, created on first use: per-host or per-tenant limits that many
 * nurseries and calls share. The limiters live as long as this object.
 *
 * <pre>{@code
 * KeyedLimiter<String> perHost = KeyedLimiter.of(() -> Limiter.maxAtOnce(4));
 * for (URI uri : uris) {
 *   ResultCapture.builder()
 *       .limiter(perHost.forKey(uri.getHost()))
 *       .startSoon(nursery, () -> http.get(uri));
 * }
 * }</pre>
 *
 * @param <K> the key type
 */
public final class KeyedLimiter<K> {
  private final Supplier<Limiter> factory;
  private final ConcurrentHashMap<K, Limiter> limiters = new ConcurrentHashMap<>();

  private KeyedLimiter(Supplier<Limiter> factory) {
    this.factory = factory;
  }

  /** A keyed limiter whose limiters are made by {@code factory}, one per key. */
  public static <K> KeyedLimiter<K> of(Supplier<Limiter> factory) {
    return new KeyedLimiter<>(Objects.requireNonNull(factory, "factory"));
  }

  /** The limiter of {@code key}, created on first use. */
  public Limiter forKey(K key) {
    Objects.requireNonNull(key, "key");
    return limiters.computeIfAbsent(
        key,
        k ->
            Objects.requireNonNull(
                factory.get(), () -> "the limiter factory returned null for key " + k));
  }

  /** How many keys have a limiter. */
  public int size() {
    return limiters.size();
  }

  @Override
  public String toString() {
    return "KeyedLimiter[keys=" + limiters.size() + "]";
  }
}
