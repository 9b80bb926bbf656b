package dev.regimen.plugins.diagnostics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the WARN messages one class logs (through SLF4J, which the build routes to Log4j 2) while
 * open: a Log4j 2 appender attached to that class's logger.
 */
final class CapturedWarnings implements AutoCloseable {
  private final List<String> messages = Collections.synchronizedList(new ArrayList<>());
  private final Logger logger;
  private final AbstractAppender appender;

  CapturedWarnings(Class<?> source) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    logger = context.getLogger(source.getName());
    appender = new AbstractAppender("captured-" + source.getSimpleName() + "-" + System.nanoTime(), null, null, true,
        Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        if (event.getLevel() == Level.WARN) {
          messages.add(event.getMessage().getFormattedMessage());
        }
      }
    };
    appender.start();
    logger.addAppender(appender);
  }

  List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void close() {
    logger.removeAppender(appender);
    appender.stop();
  }
}
