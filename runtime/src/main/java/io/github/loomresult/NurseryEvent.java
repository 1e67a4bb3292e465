package io.github.loomresult;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The flight recorder event of one nursery's life, from its opening to its end: {@value #NAME}.
 * Loaded only when {@code jdk.jfr} is present (see {@link FlightEvents}).
 */
@Name(NurseryEvent.NAME)
@Label("Nursery")
@Category({"loomresult"})
@Description("A nursery's life: from opening to the end of its last task")
@StackTrace(false)
final class NurseryEvent extends jdk.jfr.Event {
  static final String NAME = "io.github.loomresult.Nursery";

  @Label("Name")
  String nursery;

  @Label("Parent")
  @Description("The enclosing task, as nursery/task, if the nursery was opened inside one")
  String parent;

  @Label("Tasks Started")
  int tasksStarted;

  @Label("End")
  @Description("normal, failed, cancelled or timed out")
  String end;
}
