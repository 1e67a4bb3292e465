package io.github.loomresult.example;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link KeyValueStore} over HTTP ({@code GET /kv/{key}}), with codecs for keys and values.
 *
 * <pre>{@code
 * KeyValueStore<Integer, String> store =
 *     new HttpKeyValueStore<>(http, server.baseUri(), String::valueOf, Function.identity());
 * }</pre>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class HttpKeyValueStore<K, V> implements KeyValueStore<K, V> {
  private final ShopClient client;
  private final Function<? super K, String> keyCodec;
  private final Function<String, ? extends V> valueCodec;

  /** A store at {@code base} that writes keys with {@code keyCodec} and reads values. */
  public HttpKeyValueStore(
      HttpClient http,
      URI base,
      Function<? super K, String> keyCodec,
      Function<String, ? extends V> valueCodec) {
    this.client = new ShopClient(http, base);
    this.keyCodec = Objects.requireNonNull(keyCodec, "keyCodec");
    this.valueCodec = Objects.requireNonNull(valueCodec, "valueCodec");
  }

  @Override
  public V get(K key) throws IOException, InterruptedException {
    String path = "/kv/" + URLEncoder.encode(keyCodec.apply(key), StandardCharsets.UTF_8);
    return valueCodec.apply(client.get(path));
  }

  @Override
  public <T> T view(K key, Function<? super V, ? extends T> view)
      throws IOException, InterruptedException {
    return view.apply(get(key));
  }
}
