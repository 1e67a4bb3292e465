package io.github.loomresult.test;

import io.github.loomresult.Nursery;
import io.github.loomresult.NurseryTree;
import io.github.loomresult.ResultCapture;
import io.github.loomresult.TaskObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.PreInterruptCallback;
import org.junit.jupiter.api.extension.PreInterruptContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A JUnit 5 extension for tests of code that uses loomresult.
 *
 * <ul>
 *   <li>It fails a test that leaves a thread of a loomresult task alive: every thread that runs a
 *       task started during the test must have ended when the test does (it waits a grace period
 *       for threads that are only finishing).
 *   <li>It keeps the {@link NurseryTree} enabled during each test, and when a {@link
 *       org.junit.jupiter.api.Timeout @Timeout} expires it prints the tree to {@code System.err}
 *       before the test's thread is interrupted, and attaches it to the test's failure: the
 *       nurseries and tasks that were still waiting, with their stacks.
 * </ul>
 *
 * <pre>{@code
 * @ExtendWith(LoomResultExtension.class)
 * @Timeout(10)
 * class CheckoutTest {
 *   @Test
 *   void chargesAndShipsConcurrently() {
 *     Nursery.runVoid(n -> {
 *       n.startSoon("charge", () -> payments.charge(order));
 *       n.startSoon("ship", () -> shipping.book(order));
 *     });
 *   }
 * }
 * }</pre>
 *
 * <p>Register it with {@code @RegisterExtension} to choose the grace period:
 * {@code @RegisterExtension static LoomResultExtension loom = LoomResultExtension.withGrace(
 * Duration.ofSeconds(2));}. Tests that run concurrently in one JVM see each other's threads: use it
 * with tests that run one at a time.
 */
public final class LoomResultExtension
    implements BeforeEachCallback,
        AfterEachCallback,
        PreInterruptCallback,
        TestExecutionExceptionHandler {
  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LoomResultExtension.class);

  private final Duration grace;

  /** With a grace period of ten seconds for threads that are finishing. */
  public LoomResultExtension() {
    this(DEFAULT_GRACE);
  }

  private LoomResultExtension(Duration grace) {
    this.grace = grace;
  }

  /** An extension that waits at most {@code grace} for each task thread to end after a test. */
  public static LoomResultExtension withGrace(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative: " + grace);
    }
    return new LoomResultExtension(grace);
  }

  /** What the extension keeps for one test. */
  private static final class Watch implements TaskObserver {
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    final boolean treeWasEnabled = NurseryTree.isEnabled();
    TaskObserver.@Nullable Registration registration;
    volatile @Nullable String treeAtTimeout;

    @Override
    public void running(ResultCapture<?> task, Nursery nursery, long sinceStartNanos) {
      threads.add(Thread.currentThread());
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Watch watch = new Watch();
    NurseryTree.enable();
    watch.registration = TaskObserver.register(watch);
    context.getStore(NAMESPACE).put(Watch.class, watch);
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    Watch watch = context.getStore(NAMESPACE).remove(Watch.class, Watch.class);
    if (watch == null) {
      return;
    }
    TaskObserver.Registration registration = watch.registration;
    if (registration != null) {
      registration.close();
    }
    long deadline = System.nanoTime() + grace.toNanos();
    List<String> alive = new ArrayList<>();
    for (Thread t : watch.threads) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!t.join(Duration.ofNanos(left))) {
        alive.add(t.getName() + " (" + t.getState() + ")");
      }
    }
    String tree = alive.isEmpty() ? "" : NurseryTree.dump().toString();
    if (!watch.treeWasEnabled) {
      NurseryTree.disable();
    }
    if (!alive.isEmpty()) {
      throw new AssertionError(
          "loomresult task threads still alive after the test: " + alive + "\n" + tree);
    }
  }

  @Override
  public void beforeThreadInterrupt(
      PreInterruptContext preInterruptContext, ExtensionContext context) {
    Watch watch = context.getStore(NAMESPACE).get(Watch.class, Watch.class);
    String tree = NurseryTree.dump().toString();
    if (watch != null) {
      watch.treeAtTimeout = tree;
    }
    System.err.println(
        "The test timed out; "
            + preInterruptContext.getThreadToInterrupt().getName()
            + " is interrupted next. "
            + tree);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    if (throwable instanceof TimeoutException) {
      Watch watch = context.getStore(NAMESPACE).get(Watch.class, Watch.class);
      String tree = watch == null ? null : watch.treeAtTimeout;
      throwable.addSuppressed(
          new NurseryTreeAtTimeout(tree != null ? tree : NurseryTree.dump().toString()));
    }
    throw throwable;
  }

  /** The nursery tree as it was when a test timed out, attached to the test's failure. */
  static final class NurseryTreeAtTimeout extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NurseryTreeAtTimeout(String tree) {
      super(tree, null, false, false);
    }
  }
}
