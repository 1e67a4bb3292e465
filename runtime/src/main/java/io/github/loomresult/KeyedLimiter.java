package io.github.loomresult;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One {@link Limiter} per key, created on first use: per-host or per-tenant limits that many
 * nurseries and calls share.
 *
 * <p>A key's limiter is let go once it is idle: no task holds or waits for one of its slots, and
 * its token bucket (if it has a rate) is full again, so a limiter made afresh for the key would
 * behave exactly as it does. Memory is therefore bounded by the keys in use, not by every key ever
 * seen. A task that reaches a limiter after its key let it go takes the key's current limiter
 * instead, so a limiter kept from {@link #forKey} stays correct to use.
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

  /** The limiter of {@code key}, created on first use (or again after it was let go). */
  public Limiter forKey(K key) {
    Objects.requireNonNull(key, "key");
    return limiters.computeIfAbsent(key, this::create);
  }

  private Limiter create(K key) {
    Limiter made =
        Objects.requireNonNull(
            factory.get(), () -> "the limiter factory returned null for key " + key);
    made.serveKey(this, key);
    return made;
  }

  /** The current limiter of a key whose earlier limiter was retired. */
  @SuppressWarnings("unchecked")
  Limiter successorOf(Object key) {
    return forKey((K) key);
  }

  /** Drops {@code key} if {@code limiter} still serves it and is idle (it then retires). */
  @SuppressWarnings("unchecked")
  void releaseIfIdle(Object key, Limiter limiter) {
    limiters.computeIfPresent(
        (K) key, (k, current) -> current == limiter && limiter.retireIfIdle() ? null : current);
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
