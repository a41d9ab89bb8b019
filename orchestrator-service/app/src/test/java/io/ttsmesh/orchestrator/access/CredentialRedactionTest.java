package io.ttsmesh.orchestrator.access;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialRedactionTest {

    @Test
    void bearerTokensAndKeyHeadersAreRedacted() {
        assertThat(CredentialRedaction.redact("headers {Authorization: Bearer sk-123abc, Accept: */*}"))
                .isEqualTo("headers {Authorization: Bearer [redacted], Accept: */*}");
        assertThat(CredentialRedaction.redact("authorization=sk-xyz user=1")).isEqualTo("authorization=[redacted] user=1");
        assertThat(CredentialRedaction.redact("{\"x-api-key\": \"sk-9\"}")).isEqualTo("{\"x-api-key\": \"[redacted]\"}");
        assertThat(CredentialRedaction.redact("no secret here")).isEqualTo("no secret here");
    }

    @Test
    void theFilterRewritesFormattedRecords() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "call with %s", ExtLogRecord.FormatStyle.PRINTF, "x");
        record.setParameters(new Object[]{"Authorization: Bearer sk-secret"});
        assertThat(new CredentialRedaction().isLoggable(record)).isTrue();
        assertThat(record.getFormattedMessage()).isEqualTo("call with Authorization: Bearer [redacted]").doesNotContain("sk-secret");
    }
}
