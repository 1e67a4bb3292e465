package io.github.loomresult.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static io.github.loomresult.processor.CompiledClasses.invoke;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.github.loomresult.Limiter;
import io.github.loomresult.Nursery;
import io.github.loomresult.NurseryFailedException;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.TaskTimeoutException;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs a generated facade: {@code sources/behaviour/Calculator.java} is compiled in memory with the
 * processor, together with a small implementation ({@code SimpleCalculator}), the class files are
 * loaded, and the facade is called inside a real {@link Nursery}.
 *
 * <p>The facade exists only in the in-memory compilation, so it is called by reflection (the {@link
 * #call} helper); everything else is plain code. Where a test needs to control the delegate (block
 * it, count calls in flight, throw a given exception), the delegate is a {@link Proxy} of the
 * compiled interface whose handler is the test's own code. Every wait is on a latch, never on time.
 */
class FacadeBehaviourTest {
  private static final String PACKAGE = "com.example.behaviour.";

  private static ClassLoader loader;
  private static Class<?> calculator;
  private static Class<?> facade;

  @BeforeAll
  static void compileFacade() throws ClassNotFoundException {
    Compilation compilation =
        javac()
            .withProcessors(new ConcurrentProcessor())
            .withOptions("-Xlint:all", "-Werror")
            .compile(
                JavaFileObjects.forResource("sources/behaviour/Calculator.java"),
                JavaFileObjects.forResource("sources/behaviour/SimpleCalculator.java"));
    assertThat(compilation).succeededWithoutWarnings();
    loader = new CompiledClasses(compilation, FacadeBehaviourTest.class.getClassLoader());
    calculator = loader.loadClass(PACKAGE + "Calculator");
    facade = loader.loadClass(PACKAGE + "ConcurrentCalculator");
  }

  @Test
  void callsReachTheDelegateWithTheSameArguments() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    Object delegate =
        proxy((method, args) -> {
          calls.add(method.getName() + List.of(args));
          return method.getName() + " done";
        });

    Object described =
        Nursery.run(n -> {
          Object f = facade(n, delegate);
          ResultCapture<?> capture = call(f, "describe", types(int.class, String.class), 7, "x");
          capture.waitDone();
          return capture.result();
        });

    assertThat(calls).containsExactly("describe[7, x]");
    assertThat(described).isEqualTo("describe done");
  }

  @Test
  void resultsComeBackThroughTheCaptures() throws Exception {
    Object simple = simpleCalculator();

    List<Object> results =
        Nursery.run(n -> {
          Object f = facade(n, simple);
          ResultCapture<?> square = call(f, "square", types(int.class), 7);
          ResultCapture<?> load = call(f, "load", types(String.class), "a");
          ResultCapture<?> record = call(f, "record", types(String.class), "event");
          square.waitDone();
          load.waitDone();
          record.waitDone();
          List<Object> values = new ArrayList<>();
          values.add(square.result());
          values.add(load.result());
          values.add(record.result());
          return values;
        });

    assertThat(results).containsExactly(49, "loaded a", null).inOrder();
    assertThat((List<?>) simple.getClass().getField("events").get(simple)).containsExactly("event");
  }

  @Test
  void gatherReturnsValuesInInputOrderWhateverTheCompletionOrder() throws Exception {
    // Call i finishes only after call i + 1: the calls complete in reverse input order.
    int count = 5;
    Map<Integer, CountDownLatch> finished = new HashMap<>();
    for (int i = 1; i <= count; i++) {
      finished.put(i, new CountDownLatch(1));
    }
    List<Integer> completionOrder = new CopyOnWriteArrayList<>();
    Object delegate =
        proxy((method, args) -> {
          int x = (Integer) args[0];
          if (x < count) {
            finished.get(x + 1).await();
          }
          completionOrder.add(x);
          finished.get(x).countDown();
          return x * x;
        });

    Object values =
        Nursery.run(n -> {
          ResultCapture<?> all =
              call(
                  facade(n, delegate),
                  "squareAll",
                  types(java.util.Collection.class),
                  List.of(1, 2, 3, 4, 5));
          all.waitDone();
          return all.result();
        });

    assertThat(completionOrder).containsExactly(5, 4, 3, 2, 1).inOrder();
    assertThat((List<?>) values).containsExactly(1, 4, 9, 16, 25).inOrder();
  }

  @Test
  void gatherWithExplicitMaxAtOnceRunsAtMostThatManyCalls() throws Exception {
    assertAtMostTwoAtOnce("squareAll", types(java.util.Collection.class, int.class), 2);
  }

  @Test
  void gatherUsesTheAnnotationsMaxAtOnceByDefault() throws Exception {
    // Calculator.throttled is @Concurrent(maxAtOnce = 2).
    assertAtMostTwoAtOnce("throttledAll", types(java.util.Collection.class));
  }

  /**
   * Runs the gather over six inputs whose calls block until two of them are in flight; then lets
   * them all go. The peak number of calls in flight must be exactly two.
   */
  private static void assertAtMostTwoAtOnce(String gather, Class<?>[] types, Object... limit)
      throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch twoStarted = new CountDownLatch(2);
    CountDownLatch gate = new CountDownLatch(1);
    Object delegate =
        proxy((method, args) -> {
          peak.accumulateAndGet(running.incrementAndGet(), Math::max);
          twoStarted.countDown();
          try {
            gate.await();
          } finally {
            running.decrementAndGet();
          }
          return args[0];
        });
    List<Integer> inputs = List.of(1, 2, 3, 4, 5, 6);
    Object[] args = new Object[1 + limit.length];
    args[0] = inputs;
    System.arraycopy(limit, 0, args, 1, limit.length);

    Object values =
        Nursery.run(n -> {
          ResultCapture<?> all = call(facade(n, delegate), gather, types, args);
          twoStarted.await();
          assertThat(running.get()).isEqualTo(2);
          gate.countDown();
          all.waitDone();
          return all.result();
        });

    assertThat(peak.get()).isEqualTo(2);
    assertThat((List<?>) values).containsExactlyElementsIn(inputs).inOrder();
  }

  @Test
  void checkedExceptionOfTheDelegateIsTheCapturesExceptionByIdentity() {
    IOException failure = new IOException("disk on fire");
    Object delegate =
        proxy((method, args) -> {
          throw failure;
        });
    AtomicReference<ResultCapture<?>> load = new AtomicReference<>();

    NurseryFailedException thrown =
        assertThrows(
            NurseryFailedException.class,
            () ->
                Nursery.runVoid(
                    n -> load.set(call(facade(n, delegate), "load", types(String.class), "a"))));

    assertThat(load.get().exception()).isSameInstanceAs(failure);
    assertThat(thrown).hasCauseThat().isSameInstanceAs(failure);
  }

  @Test
  void suppressExceptionKeepsTheSiblingsAlive() throws Exception {
    // Calculator.fragile is @Concurrent(suppressException = true); square is not.
    IOException failure = new IOException("fragile");
    CountDownLatch fragileDone = new CountDownLatch(1);
    Object delegate =
        proxy((method, args) -> {
          if (method.getName().equals("fragile")) {
            throw failure;
          }
          fragileDone.await(); // interrupted if the failure cancelled the nursery
          return 25;
        });
    AtomicReference<ResultCapture<?>> fragile = new AtomicReference<>();

    Object sibling =
        Nursery.run(n -> {
          Object f = facade(n, delegate);
          ResultCapture<?> square = call(f, "square", types(int.class), 5);
          fragile.set(call(f, "fragile", types(String.class), "x"));
          fragile.get().waitDone();
          fragileDone.countDown();
          square.waitDone();
          return square.result();
        });

    assertThat(sibling).isEqualTo(25);
    assertThat(fragile.get().exception()).isSameInstanceAs(failure);
  }

  @Test
  void overloadedGatherCallsTheOverloadOfItsParameterType() throws Exception {
    // find(int) and find(Object): the boxed inputs of findAllByInt must still reach find(int).
    Object simple = simpleCalculator();

    List<Object> values =
        Nursery.run(n -> {
          Object f = facade(n, simple);
          ResultCapture<?> ints =
              call(f, "findAllByInt", types(java.util.Collection.class), List.of(1, 2));
          ResultCapture<?> objects =
              call(f, "findAllByObject", types(java.util.Collection.class), List.of("k"));
          ints.waitDone();
          objects.waitDone();
          List<Object> all = new ArrayList<>((List<?>) ints.result());
          all.addAll((List<?>) objects.result());
          return all;
        });

    assertThat(values).containsExactly("int 1", "int 2", "object k").inOrder();
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** What a proxied delegate does when called. */
  private interface Handler {
    Object handle(Method method, Object[] args) throws Exception;
  }

  private static Object proxy(Handler handler) {
    InvocationHandler h = (p, method, args) -> handler.handle(method, args);
    return Proxy.newProxyInstance(loader, new Class<?>[] {calculator}, h);
  }

  private static Object simpleCalculator() throws ReflectiveOperationException {
    return loader.loadClass(PACKAGE + "SimpleCalculator").getConstructor().newInstance();
  }

  private static Class<?>[] types(Class<?>... types) {
    return types;
  }

  /** {@code ConcurrentCalculator.of(nursery, delegate)}. */
  @Test
  void theRaceMethodMakesOneCallPerInputAndReturnsTheFirstSuccess() throws Exception {
    CountDownLatch othersCalled = new CountDownLatch(2);
    List<Object> keys = new CopyOnWriteArrayList<>();
    Object delegate =
        proxy((method, args) -> {
          keys.add(args[0]);
          if (!args[0].equals("b")) {
            othersCalled.countDown();
            new CountDownLatch(1).await(); // a mirror that never answers: cancelled
          }
          othersCalled.await();
          return "from " + args[0];
        });

    Object value =
        Nursery.run(n -> {
          ResultCapture<?> race =
              call(
                  facade(n, delegate), "loadRace", types(Collection.class), List.of("a", "b", "c"));
          race.waitDone();
          return race.result();
        });

    assertThat(value).isEqualTo("from b");
    assertThat(keys).containsExactly("a", "b", "c");
  }

  @Test
  void theRaceMethodFailsWithEveryFailureWhenEveryCallFails() throws Exception {
    Object delegate =
        proxy((method, args) -> {
          throw new IOException("down: " + args[0]);
        });
    AtomicReference<ResultCapture<?>> race = new AtomicReference<>();

    Nursery.runVoid(n ->
        race.set(
            call(facade(n, delegate), "fragileRace", types(Collection.class), List.of("a", "b"))));

    NurseryFailedException failed = (NurseryFailedException) race.get().exception();
    assertThat(failed.failures()).hasSize(2);
    assertThat(failed.getCause()).isInstanceOf(IOException.class);
  }

  @Test
  void callOptionsMakeACopyAndLeaveTheFacadeUnchanged() throws Exception {
    Object delegate =
        proxy((method, args) -> {
          if (args[0].equals("slow")) {
            new CountDownLatch(1).await(); // until its timeout cancels it
          }
          return "loaded " + args[0];
        });
    AtomicReference<ResultCapture<?>> bounded = new AtomicReference<>();
    AtomicReference<ResultCapture<?>> plain = new AtomicReference<>();
    AtomicReference<ResultCapture<?>> limited = new AtomicReference<>();
    Limiter one = Limiter.maxAtOnce(1);

    Nursery.runVoid(n -> {
      Object f = facade(n, delegate);
      Object quick =
          invoke(facade.getMethod("withTimeout", Duration.class), f, Duration.ofMillis(20));
      Object named = invoke(facade.getMethod("withName", String.class), quick, "quick-load");
      assertThat(named).isNotSameInstanceAs(f);
      bounded.set(call(named, "fragile", types(String.class), "slow"));
      plain.set(call(f, "fragile", types(String.class), "fast"));
      Object limitedFacade = invoke(facade.getMethod("withLimiter", Limiter.class), f, one);
      limited.set(call(limitedFacade, "fragile", types(String.class), "limited"));
    });

    assertThat(bounded.get().exception()).isInstanceOf(TaskTimeoutException.class);
    assertThat(bounded.get().name()).isEqualTo("quick-load");
    assertThat(plain.get().result()).isEqualTo("loaded fast");
    assertThat(plain.get().name()).isEqualTo("fragile");
    assertThat(limited.get().result()).isEqualTo("loaded limited");
  }

  private static Object facade(Nursery nursery, Object delegate) throws Exception {
    return invoke(facade.getMethod("of", Nursery.class, calculator), null, nursery, delegate);
  }

  /** Calls a facade method and returns its capture. */
  private static ResultCapture<?> call(Object f, String name, Class<?>[] types, Object... args)
      throws Exception {
    return (ResultCapture<?>) invoke(facade.getMethod(name, types), f, args);
  }
}
