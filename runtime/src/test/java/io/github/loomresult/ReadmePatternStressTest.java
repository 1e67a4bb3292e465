package io.github.loomresult;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The README's pattern (the body waits for one task and returns its result) run many times with
 * each way of ending the nursery while the body waits, with and without ten more tasks: every run
 * must end with the ending's own outcome and leave the caller's interrupt status clear. The default
 * run does {@code loomresult.readme.runs} (50) of each; {@code -Pstress} does 10,000. The
 * deterministic form of the race it hunts is {@link CancellationOwnershipTest}.
 */
@Timeout(600)
class ReadmePatternStressTest {
  private static final int RUNS = Integer.getInteger("loomresult.readme.runs", 50);

  @ParameterizedTest(name = "{0}, {1} extra tasks")
  @CsvSource({
    "TIMEOUT, 0",
    "TIMEOUT, 10",
    "MOVE_ON_TIMEOUT, 0",
    "MOVE_ON_TIMEOUT, 10",
    "CANCEL_FROM_A_TASK, 0",
    "CANCEL_FROM_A_TASK, 10",
    "SIBLING_FAILURE, 0",
    "SIBLING_FAILURE, 10"
  })
  void everyRunEndsWithItsEndingsOutcomeAndNoInventedInterrupt(
      CancellationOwnershipTest.Ending ending, int extraTasks) {
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < RUNS && wrong.size() < 10; i++) {
      String problem = runOnce(ending, extraTasks);
      if (problem != null) {
        wrong.add("run " + i + ": " + problem);
      }
    }
    assertEquals(List.of(), wrong, () -> wrong.size() + " wrong outcomes of " + RUNS);
  }

  private static String runOnce(CancellationOwnershipTest.Ending ending, int extraTasks) {
    RuntimeException boom = new RuntimeException("boom");
    Nursery.Builder builder = Nursery.builder();
    switch (ending) {
      case TIMEOUT -> builder.timeout(Duration.ofMillis(1));
      case MOVE_ON_TIMEOUT -> builder.timeout(Duration.ofMillis(1)).moveOnTimeout();
      default -> {}
    }
    Object outcome;
    try {
      outcome =
          builder.run(n -> {
            for (int i = 0; i < extraTasks; i++) {
              n.startSoon(() -> {
                Thread.sleep(60_000);
                return null;
              });
            }
            n.startSoon(() -> {
              Thread.sleep(60_000);
              return null;
            });
            ResultCapture<String> user =
                n.startSoon(() -> {
                  Thread.sleep(60_000);
                  return "u";
                });
            switch (ending) {
              case CANCEL_FROM_A_TASK -> n.startSoon(() -> n.cancel());
              case SIBLING_FAILURE ->
                  n.startSoon(() -> {
                    throw boom;
                  });
              default -> {}
            }
            user.waitDone();
            return user.result();
          });
    } catch (RuntimeException e) {
      outcome = e;
    }
    boolean interrupted = Thread.interrupted();
    boolean right =
        switch (ending) {
          case TIMEOUT -> outcome instanceof NurseryTimeoutException;
          case MOVE_ON_TIMEOUT, CANCEL_FROM_A_TASK -> outcome == null;
          case SIBLING_FAILURE ->
              outcome instanceof NurseryFailedException f && f.failures().equals(List.of(boom));
        };
    if (right && !interrupted) {
      return null;
    }
    return (right ? "right outcome" : "got " + outcome)
        + (interrupted ? ", caller's interrupt status set" : "");
  }
}
