package io.github.loomresult;

import java.time.Duration;

/**
 * Thrown by a nursery whose deadline expired when it was configured to fail on timeout (the default
 * for {@link Nursery.Builder#timeout(Duration)}). By then every task has been cancelled and has
 * finished. If a task also failed for real, {@link NurseryFailedException} is thrown instead and
 * this exception is attached to it as suppressed.
 *
 * <pre>{@code
 * try {
 *   Nursery.builder().timeout(Duration.ofSeconds(2)).run(n -> callSlowService(n));
 * } catch (NurseryTimeoutException e) {
 *   return cachedAnswer();
 * }
 * }</pre>
 */
public final class NurseryTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NurseryTimeoutException(String message) {
    super(message);
  }
}
