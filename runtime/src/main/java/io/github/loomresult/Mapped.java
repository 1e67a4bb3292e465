package io.github.loomresult;

import org.jspecify.annotations.Nullable;

/**
 * One result of a {@link Results#mapStream concurrent map}: the input's position, the input, and
 * how its task ended.
 *
 * <pre>{@code
 * try (Stream<Mapped<URI, String>> results = Results.mapStream(uris, fetch, MapOrder.COMPLETION, limit)) {
 *   results.forEach(m -> System.out.println(m.index() + " " + m.input() + " -> " + m.outcome()));
 * }
 * }</pre>
 *
 * @param index the input's position, from 0
 * @param input the input
 * @param outcome the task's outcome
 * @param <I> the input type
 * @param <R> the result type
 */
public record Mapped<I, R>(long index, I input, Outcome<R> outcome) {
  /**
   * The value, or {@link TaskFailedException} with the original exception as cause.
   *
   * @throws TaskFailedException if the task failed or was cancelled
   */
  public @Nullable R value() {
    return outcome.unwrap();
  }
}
