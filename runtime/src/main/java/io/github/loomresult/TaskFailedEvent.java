package io.github.loomresult;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The flight recorder event of a task that failed: {@value #NAME}. */
@Name(TaskFailedEvent.NAME)
@Label("Task Failed")
@Category({"loomresult"})
@Description("A task ended with an exception")
@StackTrace(false)
final class TaskFailedEvent extends jdk.jfr.Event {
  static final String NAME = "io.github.loomresult.TaskFailed";

  @Label("Nursery")
  String nursery;

  @Label("Task")
  String task;

  @Label("Exception Class")
  Class<?> exceptionClass;

  @Label("Message")
  @Description("The exception's message (its getMessage()), or what went wrong reading it")
  String message;
}
