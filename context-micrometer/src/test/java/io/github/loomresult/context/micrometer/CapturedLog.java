package io.github.loomresult.context.micrometer;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * A Logback {@link ListAppender} on the root logger that fixes each event's MDC, message and thread
 * name when it is logged (Logback reads them lazily otherwise, on whichever thread asks later).
 */
final class CapturedLog extends ListAppender<ILoggingEvent> {
  static CapturedLog attach() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    CapturedLog log = new CapturedLog();
    log.setContext(context);
    log.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(log);
    return log;
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing();
    super.append(event);
  }

  /** The MDC of the one line logged with {@code message}. */
  Map<String, String> mdcOf(String message) {
    List<ILoggingEvent> lines =
        List.copyOf(list).stream().filter(e -> e.getFormattedMessage().equals(message)).toList();
    if (lines.size() != 1) {
      throw new AssertionError("expected one line '" + message + "', got " + lines);
    }
    return lines.get(0).getMDCPropertyMap();
  }

  /** The thread that logged the one line with {@code message}. */
  String threadOf(String message) {
    return List.copyOf(list).stream()
        .filter(e -> e.getFormattedMessage().equals(message))
        .findFirst()
        .orElseThrow()
        .getThreadName();
  }
}
