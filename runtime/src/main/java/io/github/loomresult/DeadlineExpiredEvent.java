package io.github.loomresult;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The flight recorder event of a nursery whose deadline expired: {@value #NAME}. */
@Name(DeadlineExpiredEvent.NAME)
@Label("Deadline Expired")
@Category({"loomresult"})
@Description("A nursery's deadline expired while it still had work: it was cancelled")
@StackTrace(false)
final class DeadlineExpiredEvent extends jdk.jfr.Event {
  static final String NAME = "io.github.loomresult.DeadlineExpired";

  @Label("Nursery")
  String nursery;

  @Label("Fails")
  @Description("Whether the nursery throws NurseryTimeoutException (else it moves on)")
  boolean fails;

  @Label("Tasks Running")
  int tasksRunning;
}
