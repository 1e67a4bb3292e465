package io.github.loomresult;

/**
 * A task that returns nothing and may throw checked exceptions: the {@code void} counterpart of
 * {@link java.util.concurrent.Callable}. Its handle is a {@code ResultCapture<Void>} whose value is
 * {@code null}.
 *
 * <pre>{@code
 * ResultCapture<Void> upload = nursery.startSoon(() -> Files.copy(source, target));
 * }</pre>
 */
@FunctionalInterface
public interface VoidTask {
  /** Runs the task. */
  void run() throws Exception;
}
