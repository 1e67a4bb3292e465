package io.github.loomresult;

import java.time.Duration;

/**
 * A task bounded by a {@linkplain TaskTimeout per-task timeout} was still running when its time ran
 * out: it was cancelled, and this exception is what its handle holds. It is an ordinary failure of
 * that task: it propagates into the task's nursery unless the task keeps its exceptions to itself,
 * makes {@link Results#gather} fail fast, and is a failed outcome in {@link
 * Results#gatherOutcomes}.
 *
 * <pre>{@code
 * ResultCapture<String> slow = ResultCapture.builder()
 *     .timeout(Duration.ofMillis(200))
 *     .suppressException()
 *     .startSoon(nursery, () -> backend.call());
 * slow.waitDone();
 * if (slow.exception() instanceof TaskTimeoutException) {
 *   useFallback();
 * }
 * }</pre>
 */
public final class TaskTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Duration timeout;

  TaskTimeoutException(String task, Duration timeout) {
    super(task + " timed out after " + timeout);
    this.timeout = timeout;
  }

  /** The timeout that the task exceeded. */
  public Duration timeout() {
    return timeout;
  }
}
