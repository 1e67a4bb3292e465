package io.github.loomresult;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The flight recorder event of a task that queued for a limiter's slot: {@value #NAME}. */
@Name(LimiterWaitEvent.NAME)
@Label("Limiter Wait")
@Category({"loomresult"})
@Description("A task waited in a limiter's queue before it got a slot")
@StackTrace(false)
final class LimiterWaitEvent extends jdk.jfr.Event {
  static final String NAME = "io.github.loomresult.LimiterWait";

  @Label("Limiter")
  @Description("The limiter's identity and limits, e.g. Limiter@1b6d3586[maxAtOnce=8]")
  String limiter;

  @Label("Nursery")
  String nursery;

  @Label("Task")
  String task;

  @Label("Wait")
  @Timespan(Timespan.NANOSECONDS)
  long waited;
}
