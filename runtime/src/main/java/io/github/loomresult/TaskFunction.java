package io.github.loomresult;

/**
 * The function that {@link Results#map} applies to each input in its own task; it may block and
 * throw checked exceptions.
 *
 * <pre>{@code
 * TaskFunction<URI, String> fetch = uri -> http.send(get(uri), ofString()).body();
 * List<String> bodies = Results.map(uris, fetch, Limiter.maxAtOnce(8));
 * }</pre>
 *
 * @param <I> the input type
 * @param <R> the result type
 */
@FunctionalInterface
public interface TaskFunction<I, R> {
  /** Computes the result for {@code input}. */
  R apply(I input) throws Exception;
}
