/**
 * Structured concurrency with result capture on virtual threads: a Java port of Python's aioresult
 * over Trio-style nurseries.
 *
 * <p>A {@link io.github.loomresult.Nursery} runs a body and the tasks it starts; it returns only
 * when every task has finished. Each task has a handle, a {@link
 * io.github.loomresult.ResultCapture}, that keeps its value or exception for anyone to read; a
 * {@link io.github.loomresult.Future} is a handle that anyone can set.
 *
 * <pre>{@code
 * String summary = Nursery.run(n -> {
 *   ResultCapture<String> weather = n.startSoon(() -> weatherClient.today());
 *   ResultCapture<String> news = n.startSoon(() -> newsClient.headline());
 *   weather.waitDone();
 *   news.waitDone();
 *   return weather.result() + " / " + news.result();
 * });
 * }</pre>
 *
 * <h2>Design decisions</h2>
 *
 * <ul>
 *   <li><b>How failures surface.</b> A task's exception is kept in its handle <em>and</em>
 *       propagated into its nursery, which cancels everything else in it (aioresult's key design),
 *       unless the handle was built with {@link
 *       io.github.loomresult.ResultCapture.Builder#suppressException()}. The nursery then throws
 *       one {@link io.github.loomresult.NurseryFailedException}: its cause is the first failure (by
 *       identity), every later one is attached as suppressed and listed in {@code failures()}. The
 *       same wrapping applies to the body's own exceptions, checked or not, and to {@code Error}s:
 *       one rule, no exceptions to it.
 *   <li><b>How checked exceptions reach the caller.</b> Through the wrapper, never by sneaky
 *       throws: {@code catch (NurseryFailedException e) { throw e.rethrowIf(IOException.class); }}
 *       throws the {@code IOException} itself with its compile-time type. Reading a failed handle
 *       throws {@link io.github.loomresult.TaskFailedException} whose cause is the original
 *       exception.
 *   <li><b>How cancellation is represented.</b> Cancelling a task interrupts its thread; blocking
 *       calls end with {@code InterruptedException} (or an I/O equivalent), CPU loops poll {@link
 *       io.github.loomresult.Cancellation#isCancelled()}. The handle of a task that ended because
 *       of its cancellation is {@link io.github.loomresult.TaskState#CANCELLED} and its {@code
 *       exception()} is a {@link io.github.loomresult.TaskCancelledException} whose cause is what
 *       the task threw. Exceptions a task throws in response to a cancellation it was sent
 *       (anything with an interrupt or cancellation exception in its cause chain, thrown after the
 *       cancellation was requested) are never reported as failures; anything else it throws, also
 *       while it is being cancelled, still is. A task that ignores the interrupt and returns a
 *       value succeeds. Interrupts the library sends are taken back from the thread when the task
 *       ends; interrupts from anyone else are left in place. Whose interrupt it is is decided from
 *       what the library did (which thread it interrupted, for which cancellation, and whether the
 *       flag was set already), never from an exception's cause chain. Java has one interrupt flag
 *       per thread, so an outside interrupt that reaches the thread while the library's
 *       cancellation of it is under way (after the library's interrupt and before the task ends)
 *       merges with it and is taken back too.
 *   <li><b>Nesting.</b> A nursery opened inside a task belongs to it: cancelling the task cancels
 *       the nested nursery (which then throws {@code TaskCancelledException}, absorbed by the outer
 *       one), and the nested nursery's deadline is the earlier of its own and its parent's.
 *   <li><b>Threads.</b> Every task starts on a new thread that has run no other task, also one that
 *       waited in a limiter's queue, so no task sees another's {@code ThreadLocal}s. Tasks run on
 *       virtual threads named {@code nursery/name} after a named task, and {@code nursery/task}
 *       otherwise (one shared name per nursery); no lock is held while blocking, so virtual threads
 *       are never pinned by the library. One platform daemon timer thread, shared by all nurseries
 *       and gone when idle, fires deadlines.
 * </ul>
 */
@NullMarked
package io.github.loomresult;

import org.jspecify.annotations.NullMarked;
