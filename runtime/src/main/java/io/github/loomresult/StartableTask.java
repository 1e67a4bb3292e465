package io.github.loomresult;

/**
 * A task that takes part in the start protocol (Trio's {@code nursery.start}): it receives a {@link
 * TaskStatus}, calls {@link TaskStatus#started(Object)} once it is ready, and then keeps running in
 * the nursery until it returns its final value.
 *
 * <pre>{@code
 * StartableTask<Integer, Void> server = status -> {
 *   var socket = bind();
 *   status.started(socket.port()); // Nursery.start(...) returns this port
 *   serve(socket);                 // keeps running in the nursery
 *   return null;
 * };
 * int port = nursery.start(server);
 * }</pre>
 *
 * @param <S> the type of the value passed to {@code started}
 * @param <R> the type of the task's final value
 */
@FunctionalInterface
public interface StartableTask<S, R> {
  /** Runs the task, calling {@code status.started(...)} exactly once when ready. */
  R run(TaskStatus<S> status) throws Exception;
}
