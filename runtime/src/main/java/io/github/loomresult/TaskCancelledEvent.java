package io.github.loomresult;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The flight recorder event of a task that ended cancelled: {@value #NAME}. */
@Name(TaskCancelledEvent.NAME)
@Label("Task Cancelled")
@Category({"loomresult"})
@Description("A task ended cancelled, and how long after the cancellation was requested")
@StackTrace(false)
final class TaskCancelledEvent extends jdk.jfr.Event {
  static final String NAME = "io.github.loomresult.TaskCancelled";

  @Label("Nursery")
  String nursery;

  @Label("Task")
  String task;

  @Label("Reason")
  @Description("What cancelled it: its own cancel(), its nursery's cancel(), a failure, ...")
  String reason;

  @Label("Since Request")
  @Description("From the cancellation request to the task's end (0 if the request was not seen)")
  @Timespan(Timespan.NANOSECONDS)
  long sinceRequest;
}
