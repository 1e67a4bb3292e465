package io.github.loomresult;

/**
 * The order in which {@link Results#mapStream} delivers results.
 *
 * <pre>{@code
 * Results.mapStream(inputs, fn, MapOrder.COMPLETION, Limiter.maxAtOnce(4));
 * }</pre>
 */
public enum MapOrder {
  /** The order of the inputs; a slow input holds back the ones after it. */
  INPUT,
  /** The order the tasks finish in. */
  COMPLETION
}
