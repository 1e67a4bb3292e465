package io.github.loomresult;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Run by {@link WithoutOptionalModulesTest} in a JVM limited to {@code java.base}: every path that
 * emits flight events or touches the tree's MBean runs once, and must work without them.
 */
final class WithoutOptionalModulesMain {
  private WithoutOptionalModulesMain() {}

  public static void main(String[] args) throws Exception {
    NurseryTree.enable();
    try {
      Nursery.runVoid(n ->
          n.startSoon(
              "boom",
              () -> {
                throw new IllegalStateException("boom");
              }));
      throw new AssertionError("the failure was not reported");
    } catch (NurseryFailedException expected) {
      // the failed-task path ran
    }
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Nursery.builder()
        .name("limited")
        .maxAtOnce(1)
        .timeout(Duration.ofDays(1))
        .moveOnTimeout()
        .runVoid(n -> {
          ResultCapture<Void> first =
              n.startSoon(
                  "first",
                  () -> {
                    running.countDown();
                    release.await();
                  });
          n.startSoon("queued", () -> "later");
          running.await();
          if (!NurseryTree.dump().toString().contains("task 'first' RUNNING")) {
            throw new AssertionError(NurseryTree.dump().toString());
          }
          first.cancel();
          release.countDown();
          n.expire();
        });
    try {
      NurseryTree.registerMBean();
      throw new AssertionError("registered an MBean without java.management");
    } catch (IllegalStateException expected) {
      System.out.println(expected.getMessage());
    }
    System.out.println("ok");
  }
}
