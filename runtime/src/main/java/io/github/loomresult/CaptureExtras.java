package io.github.loomresult;

import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The fields of a {@link ResultCapture} that most tasks never set: a plain {@code startSoon} task
 * has none of them, so its capture carries one null reference instead of these (the capture is what
 * a parked or finished task keeps on the heap, in the millions). A capture gets its extras when
 * built with a name, or on the first write of any other field ({@link ResultCapture#extras()}), and
 * keeps them for good.
 *
 * <p>Who writes what (the capture's {@code extras} reference itself is written once, by a CAS):
 *
 * <ul>
 *   <li>{@code explicitName}, {@code task}: fixed when the capture is built.
 *   <li>{@code limiter}, {@code startProtocol}: written by the thread that builds the capture,
 *       before the capture is launched (published as the capture is).
 *   <li>{@code admission}: written by the launching thread before the task is pushed into its
 *       nursery's registry; read by cancellers and the task's thread.
 *   <li>{@code observation}: see {@link Observability}; set at the start, or by a CAS at the first
 *       {@code cancel()}.
 *   <li>{@code inlineDepth}, {@code nested}, {@code foreignInterruptSeen}: {@link TaskControl}'s
 *       (see there for every writer).
 * </ul>
 */
final class CaptureExtras {
  final @Nullable String explicitName;

  /** The task as given, when the capture runs an adaptation of it (see ResultCapture#task()). */
  final @Nullable Object task;

  /** The task's own limiter, from its builder; read when it is launched. */
  @Nullable Limiter limiter;

  /** The start protocol waiting for this task to start, if it was started that way. */
  @Nullable StartProtocol<?> startProtocol;

  /** The limiters this task passes before it starts (its own and its nursery's), if any. */
  volatile @Nullable Admission admission;

  /** Set while someone observes this task (see Observability); null otherwise. */
  volatile @Nullable TaskObservation observation;

  volatile int inlineDepth;
  volatile @Nullable CopyOnWriteArrayList<Nursery> nested;
  volatile boolean foreignInterruptSeen;

  CaptureExtras(@Nullable String explicitName, @Nullable Object task) {
    this.explicitName = explicitName;
    this.task = task;
  }
}
