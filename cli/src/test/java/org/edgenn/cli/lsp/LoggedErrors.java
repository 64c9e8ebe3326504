package org.edgenn.cli.lsp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.apache.log4j.AppenderSkeleton;
import org.apache.log4j.Logger;
import org.apache.log4j.spi.LoggingEvent;

/**
 * Every error the server logs while a test runs: Xtext's through log4j (reload4j), lsp4j's through
 * java.util.logging (an exception turned into an error response is logged there as SEVERE).
 */
final class LoggedErrors implements AutoCloseable {
    final List<String> errors = new CopyOnWriteArrayList<>();
    private final AppenderSkeleton log4j = new AppenderSkeleton() {
        @Override
        protected void append(LoggingEvent e) {
            if (e.getLevel().isGreaterOrEqual(org.apache.log4j.Level.ERROR) || e.getThrowableInformation() != null) {
                errors.add(e.getLoggerName() + ": " + e.getRenderedMessage()
                        + (e.getThrowableInformation() != null ? " " + e.getThrowableInformation().getThrowable() : ""));
            }
        }

        @Override
        public void close() {
        }

        @Override
        public boolean requiresLayout() {
            return false;
        }
    };
    private final Handler jul = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.SEVERE.intValue() || r.getThrown() != null) {
                errors.add(r.getLoggerName() + ": " + r.getMessage() + (r.getThrown() != null ? " " + r.getThrown() : ""));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    LoggedErrors() {
        Logger.getRootLogger().addAppender(log4j);
        java.util.logging.Logger.getLogger("").addHandler(jul);
    }

    @Override
    public void close() {
        Logger.getRootLogger().removeAppender(log4j);
        java.util.logging.Logger.getLogger("").removeHandler(jul);
    }
}
