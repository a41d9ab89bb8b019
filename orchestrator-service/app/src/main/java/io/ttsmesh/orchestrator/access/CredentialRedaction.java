package io.ttsmesh.orchestrator.access;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

/**
 * Rewrites log lines that carry a credential (a bearer token, an Authorization or api-key header) before any
 * handler writes them. The orchestrator never logs keys itself; this guards against a library or an
 * exception message that echoes a request's headers. Configured as {@code quarkus.log.*.filter=redact-credentials}.
 */
@LoggingFilter(name = "redact-credentials")
public final class CredentialRedaction implements Filter {

    private static final Pattern CREDENTIAL = Pattern.compile(
            "(?i)(bearer\\s+|authorization[\"']?\\s*[:=]\\s*[\"']?(?:bearer\\s+)?|x-api-key[\"']?\\s*[:=]\\s*[\"']?)[^\\s\"',;}\\]]+");

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (message != null) {
            String redacted = redact(message);
            if (!redacted.equals(message)) {
                if (record instanceof ExtLogRecord ext) {
                    ext.setMessage(redacted, ExtLogRecord.FormatStyle.NO_FORMAT);
                } else {
                    record.setMessage(redacted);
                }
                record.setParameters(null);
            }
        }
        return true;
    }

    public static String redact(String text) {
        return CREDENTIAL.matcher(text).replaceAll("$1[redacted]");
    }
}
