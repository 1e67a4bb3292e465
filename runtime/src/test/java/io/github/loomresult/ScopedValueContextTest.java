package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ScopedValue} bindings named on a nursery reach its tasks (JDK 25+). */
class ScopedValueContextTest {
  private static final ScopedValue<String> USER = ScopedValue.newInstance();
  private static final ScopedValue<String> TENANT = ScopedValue.newInstance();
  private static final ScopedValue<String> NOT_NAMED = ScopedValue.newInstance();

  @RegisterExtension final NoLeakedThreads leaks = new NoLeakedThreads();

  @Test
  void aTaskSeesTheBindingsNamedOnItsNursery() {
    String seen =
        ScopedValue.where(USER, "alice")
            .where(TENANT, "acme")
            .call(() ->
                Nursery.builder()
                    .carryScopedValues(USER, TENANT)
                    .run(n -> valueOf(n.startSoon(() -> USER.get() + "@" + TENANT.get()))));
    assertEquals("alice@acme", seen);
  }

  @Test
  void aValueNotNamedIsNotCarried() {
    boolean bound =
        ScopedValue.where(NOT_NAMED, "x")
            .call(() ->
                Nursery.builder()
                    .carryScopedValues(USER)
                    .run(n -> valueOf(n.startSoon(NOT_NAMED::isBound))));
    assertFalse(bound);
  }

  @Test
  void aNamedValueUnboundAtTheStartIsUnboundInTheTask() {
    boolean bound =
        Nursery.builder().carryScopedValues(USER).run(n -> valueOf(n.startSoon(USER::isBound)));
    assertFalse(bound);
  }

  @Test
  void eachTaskGetsTheBindingOfItsOwnStartCallEvenWhenQueued() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<ResultCapture<String>> queued = new AtomicReference<>();
    Nursery.builder()
        .carryScopedValues(USER)
        .maxAtOnce(1)
        .runVoid(n -> {
          ScopedValue.where(USER, "first")
              .run(() ->
                  n.startSoon(() -> {
                    running.countDown();
                    release.await();
                    return USER.get();
                  }));
          running.await();
          ScopedValue.where(USER, "second").run(() -> queued.set(n.startSoon(USER::get)));
          assertEquals(TaskState.PENDING, queued.get().state());
          release.countDown();
        });
    assertEquals("second", queued.get().result());
  }

  @Test
  void nestedNurseriesAndResultsMapCarryTheNamedValues() {
    List<String> seen =
        ScopedValue.where(USER, "bob")
            .call(() ->
                Nursery.builder()
                    .carryScopedValues(USER)
                    .run(n ->
                        valueOf(
                            n.startSoon(() ->
                                Nursery.run(inner ->
                                    valueOf(
                                        inner.startSoon(() ->
                                            Results.map(
                                                List.of(1, 2, 3),
                                                i -> i + USER.get(),
                                                Limiter.maxAtOnce(1)))))))));
    assertEquals(List.of("1bob", "2bob", "3bob"), seen);
  }

  @Test
  void theBodyKeepsItsBindingsAndTheTaskThreadHasNoneAfterwards() {
    ScopedValue.where(USER, "carol")
        .run(() ->
            Nursery.builder()
                .carryScopedValues(USER)
                .runVoid(n -> {
                  ResultCapture<String> task = n.startSoon(USER::get);
                  assertEquals("carol", valueOf(task));
                  assertTrue(USER.isBound());
                }));
    assertFalse(USER.isBound());
  }

  private static <T> T valueOf(ResultCapture<T> task) throws InterruptedException {
    task.waitDone();
    return task.result();
  }
}
