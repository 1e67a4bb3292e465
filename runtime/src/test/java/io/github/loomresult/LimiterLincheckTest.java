package io.github.loomresult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * {@link Limiter} slot accounting under Lincheck: one {@code Limiter.maxAtOnce(1)} shared by
 * nurseries that Lincheck's threads run at the same time, each starting two tasks (one of them
 * cancelled by the body, racing its start). Every operation returns "ok" or a description of what
 * went wrong, so any violation is a non-linearizable result; {@link Ops#validate()} checks the
 * limiter is empty afterwards.
 *
 * <p>Stress mode only: Lincheck's model checker does not control the nursery's virtual task
 * threads, so it reports the nursery's wait for its tasks as a hang ("The execution has hung", even
 * with a single nursery); the same happens with a platform thread factory under {@code
 * Lincheck.runConcurrentTest}. See docs/RELIABILITY.md.
 */
class LimiterLincheckTest {

  /** Public with a public constructor: Lincheck instantiates it without {@code setAccessible}. */
  public static final class Ops {
    private final Limiter limiter = Limiter.maxAtOnce(1);
    private final AtomicInteger inside = new AtomicInteger();

    public Ops() {}

    /** Runs a nursery whose two tasks take the shared slot; cancels the second one. */
    @Operation
    public String nursery() {
      AtomicInteger peakInside = new AtomicInteger();
      AtomicInteger peakRunning = new AtomicInteger();
      List<ResultCapture<Integer>> captures = new ArrayList<>();
      Nursery.builder()
          .limiter(limiter)
          .runVoid(nursery -> {
            for (int i = 0; i < 2; i++) {
              int value = i;
              captures.add(
                  nursery.startSoon(() -> {
                    peakInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    peakRunning.accumulateAndGet(limiter.running(), Math::max);
                    inside.decrementAndGet();
                    return value;
                  }));
            }
            captures.get(1).cancel();
          });
      if (peakInside.get() > 1) {
        return peakInside + " tasks inside at once";
      }
      if (peakRunning.get() > 1) {
        return "running() was " + peakRunning + " inside a task";
      }
      for (ResultCapture<Integer> c : captures) {
        if (!c.isDone()) {
          return "not done after its nursery: " + c;
        }
      }
      if (captures.get(0).state() != TaskState.SUCCEEDED) {
        return "first task not SUCCEEDED: " + captures.get(0);
      }
      return "ok";
    }

    /** A read between nurseries: never more than one slot held. */
    @Operation
    public String running() {
      int running = limiter.running();
      return running <= 1 ? "ok" : "running() = " + running;
    }

    @Validate
    public void validate() {
      if (limiter.running() != 0 || limiter.queued() != 0) {
        throw new IllegalStateException("limiter not empty after the nurseries: " + limiter);
      }
    }
  }

  @Test
  void stress() {
    new StressOptions()
        .iterations(Integer.getInteger("loomresult.lincheck.iterations", 15))
        .invocationsPerIteration(200)
        .threads(3)
        .actorsPerThread(2)
        .actorsBefore(0)
        .actorsAfter(1)
        .check(Ops.class);
  }
}
