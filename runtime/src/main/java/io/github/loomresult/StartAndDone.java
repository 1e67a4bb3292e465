package io.github.loomresult;

/**
 * The two handles of {@link ResultCapture#captureStartAndDone}: {@code start} holds the value
 * passed to {@link TaskStatus#started(Object)}, {@code done} the task's final value. Both always
 * end done, whatever happens, including when the target nursery is already closed.
 *
 * <pre>{@code
 * StartAndDone<Integer, Void> server = ResultCapture.captureStartAndDone(nursery, this::serve);
 * server.start().waitDone();
 * int port = server.start().result();
 * }</pre>
 *
 * @param start the handle of the start value
 * @param done the handle of the final value
 * @param <S> the start value type
 * @param <R> the final value type
 */
public record StartAndDone<S, R>(ResultCapture<S> start, ResultCapture<R> done) {}
