package io.github.loomresult;

/**
 * A task that returns nothing and may throw checked exceptions: the {@code void} counterpart of
 * {@link java.util.concurrent.Callable}. Its handle is a {@code ResultCapture<Void>} whose value is
 * {@code null}.
 *
 * <p>{@code startSoon} is overloaded on {@code Callable} and {@code VoidTask}, as {@code
 * ExecutorService.submit} is on {@code Callable} and {@code Runnable}, and Java resolves it the
 * same way: a lambda whose body is a call to a {@code void} method, or a block without {@code
 * return}, is a {@code VoidTask}; a lambda whose body is an expression with a value is a {@code
 * Callable}, and its handle keeps that value. So {@code Files.copy}, which returns the number of
 * bytes copied, gives a {@code ResultCapture<Long>}; write a block to drop the value:
 *
 * <pre>{@code
 * ResultCapture<Path> copied = nursery.startSoon(() -> Files.copy(source, target));
 * ResultCapture<Void> upload = nursery.startSoon(() -> { Files.copy(source, target); });
 * ResultCapture<Void> sent = nursery.startSoon(() -> mailer.send(message)); // void send(Message)
 * }</pre>
 */
@FunctionalInterface
public interface VoidTask {
  /** Runs the task. */
  void run() throws Exception;
}
