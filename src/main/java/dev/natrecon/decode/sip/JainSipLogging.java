package dev.natrecon.decode.sip;

import gov.nist.core.CommonLogger;
import gov.nist.core.StackLogger;
import java.util.Properties;

/**
 * Routes jain-sip-ri's logging to a logger that drops everything. jain-sip logs through log4j, which natrecon does not
 * ship: without this, its first log call (for instance on a CRLF-only message) throws NoClassDefFoundError; and
 * natrecon's decoders report through anomalies, never through a log. Called by the SIP and SDP parsers before they
 * use jain-sip; idempotent.
 */
public final class JainSipLogging {
    private static final StackLogger SILENT = new Silent();

    static {
        CommonLogger.useLegacyLogger = true;
        CommonLogger.legacyLogger = SILENT;
    }

    private JainSipLogging() {
    }

    /** Makes sure the silent logger is installed (the work happens once, in the class initialiser). */
    public static void silence() {
        if (CommonLogger.legacyLogger != SILENT) throw new IllegalStateException("jain-sip logging was re-routed");
    }

    private static final class Silent implements StackLogger {
        @Override public void logStackTrace() { }
        @Override public void logStackTrace(int traceLevel) { }
        @Override public int getLineCount() { return 0; }
        @Override public void logException(Throwable ex) { }
        @Override public void logDebug(String message) { }
        @Override public void logDebug(String message, Exception ex) { }
        @Override public void logTrace(String message) { }
        @Override public void logFatalError(String message) { }
        @Override public void logError(String message) { }
        @Override public boolean isLoggingEnabled() { return false; }
        @Override public boolean isLoggingEnabled(int logLevel) { return false; }
        @Override public void logError(String message, Exception ex) { }
        @Override public void logWarning(String string) { }
        @Override public void logInfo(String string) { }
        @Override public void disableLogging() { }
        @Override public void enableLogging() { }
        @Override public void setBuildTimeStamp(String buildTimeStamp) { }
        @Override public void setStackProperties(Properties stackProperties) { }
        @Override public String getLoggerName() { return "natrecon-silent"; }
    }
}
