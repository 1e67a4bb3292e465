package io.github.loomresult;

import java.lang.reflect.Method;
import java.util.Objects;
import kotlin.Unit;
import kotlin.reflect.KFunction;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link Future} completion against its reads (Lincheck): {@code setResult} and
 * {@code setException} race each other and {@code isDone}, {@code state}, {@code result}/{@code
 * exception} and {@code outcome}; every history must match {@link Spec}, where the first completion
 * wins and every later one throws {@link FutureSetAgainException}.
 *
 * <p>Operation results are strings, so that Lincheck compares them by value. Exceptions passed to
 * {@code setException} carry the argument in their message.
 */
class FutureLincheckTest {

  /**
   * The operations on one fresh future. Public with a public constructor: Lincheck instantiates it
   * reflectively without {@code setAccessible}, and the test class itself stays package-private.
   */
  @Param(name = "v", gen = IntGen.class, conf = "1:3")
  public static final class Ops {
    private final Future<Integer> future = new Future<>();

    public Ops() {}

    private static String lost() {
      return "again";
    }

    @Operation
    public String setResult(@Param(name = "v") int v) {
      try {
        future.setResult(v);
        return "set";
      } catch (FutureSetAgainException e) {
        return lost();
      }
    }

    @Operation
    public String setException(@Param(name = "v") int v) {
      try {
        future.setException(new IllegalStateException("e" + v));
        return "set";
      } catch (FutureSetAgainException e) {
        return lost();
      }
    }

    @Operation
    public boolean isDone() {
      return future.isDone();
    }

    @Operation
    public String state() {
      return future.state().name();
    }

    /** {@code result()} and {@code exception()} without throwing. */
    @Operation
    public String result() {
      try {
        return "value " + future.result();
      } catch (TaskNotDoneException e) {
        return "not done";
      } catch (TaskFailedException e) {
        Throwable cause = e.getCause();
        if (cause != future.exception()) {
          return "cause is not exception()";
        }
        return "failed " + (cause == null ? null : cause.getMessage());
      }
    }

    @Operation
    public String outcome() {
      try {
        return switch (future.outcome()) {
          case Outcome.Success<Integer> s -> "success " + s.value();
          case Outcome.Failure<Integer> f -> "failure " + f.exception().getMessage();
        };
      } catch (TaskNotDoneException e) {
        return "not done";
      }
    }
  }

  @Test
  void stress() {
    new StressOptions()
        .iterations(Integer.getInteger("loomresult.lincheck.iterations", 30))
        .invocationsPerIteration(1_000)
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(1)
        .actorsAfter(1)
        .sequentialSpecification(Spec.class)
        .check(Ops.class);
  }

  @Test
  void modelChecking() {
    new ModelCheckingOptions()
        .iterations(Integer.getInteger("loomresult.lincheck.iterations", 15))
        .invocationsPerIteration(500)
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(1)
        .actorsAfter(1)
        .sequentialSpecification(Spec.class)
        .check(Ops.class);
  }

  /**
   * A losing {@code setException} that throws {@link FutureSetAgainException} while the winner is
   * between its CAS to "completing" and its final status must leave the future done: a {@code
   * result()} right after it that read "not done" would match no sequential order. The model
   * checker explores that exact scenario and must find no violation.
   */
  @Test
  void aLosingSetterSeesTheFutureDone() throws NoSuchMethodException {
    KFunction<?> setException = kotlin(Ops.class.getMethod("setException", int.class));
    KFunction<?> result = kotlin(Ops.class.getMethod("result"));
    new ModelCheckingOptions()
        .iterations(0)
        .invocationsPerIteration(1_000)
        .sequentialSpecification(Spec.class)
        .addCustomScenario(scenario -> {
          scenario.parallel(parallel -> {
            parallel.thread(t -> {
              t.actor(setException, 1);
              t.actor(result);
              return Unit.INSTANCE;
            });
            parallel.thread(t -> {
              t.actor(setException, 2);
              return Unit.INSTANCE;
            });
            return Unit.INSTANCE;
          });
          return Unit.INSTANCE;
        })
        .check(Ops.class);
  }

  private static KFunction<?> kotlin(Method method) {
    return Objects.requireNonNull(ReflectJvmMapping.getKotlinFunction(method), method::toString);
  }

  /** The sequential specification: a write-once cell. */
  public static final class Spec {
    private boolean done;
    private boolean failed;
    private int value;

    public Spec() {}

    public String setResult(int v) {
      return complete(false, v);
    }

    public String setException(int v) {
      return complete(true, v);
    }

    private String complete(boolean failure, int v) {
      if (done) {
        return "again";
      }
      done = true;
      failed = failure;
      value = v;
      return "set";
    }

    public boolean isDone() {
      return done;
    }

    public String state() {
      return !done ? "PENDING" : failed ? "FAILED" : "SUCCEEDED";
    }

    public String result() {
      return !done ? "not done" : failed ? "failed e" + value : "value " + value;
    }

    public String outcome() {
      return !done ? "not done" : failed ? "failure e" + value : "success " + value;
    }
  }
}
