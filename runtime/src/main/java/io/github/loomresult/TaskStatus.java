package io.github.loomresult;

import org.jspecify.annotations.Nullable;

/**
 * Handed to a {@link StartableTask}: the task calls {@link #started(Object)} once it is ready,
 * which releases the caller of {@link Nursery#start(StartableTask)} with that value.
 *
 * <pre>{@code
 * int port = nursery.start(status -> {
 *   try (var server = ServerSocketChannel.open().bind(new InetSocketAddress(0))) {
 *     status.started(((InetSocketAddress) server.getLocalAddress()).getPort());
 *     serveForever(server);
 *   }
 *   return null;
 * });
 * }</pre>
 *
 * @param <S> the type of the start value
 */
public interface TaskStatus<S> {
  /**
   * Reports that the task is ready and hands {@code value} to the caller of {@code start}.
   *
   * @throws IllegalStateException if called a second time
   */
  void started(@Nullable S value);

  /** Reports that the task is ready, with a {@code null} start value. */
  default void started() {
    started(null);
  }
}
