package io.ttsmesh.orchestrator.api;

import io.ttsmesh.proto.events.SolveResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON every surface writes: readable text, the same message back when parsed. */
class ProtoJsonTest {

    @Test
    void htmlSafeEscapesAreWrittenAsTheCharactersThemselvesAndTheMessageReadsBack() throws Exception {
        String text = "3+4=7 <b> & 'x' \\u003d \"quoted\" \\ back\nslash";
        SolveResult result = SolveResult.newBuilder().setSolution(text).setAnswer("=").build();
        String json = ProtoJson.print(result);
        assertThat(json).contains("3+4=7 <b> & 'x'").doesNotContain("\\u003d7", "\\u003c", "\\u0026", "\\u0027");
        assertThat(ProtoJson.parse(json, SolveResult.newBuilder()).build()).isEqualTo(result);
    }

    @Test
    void onlyTheFiveHtmlEscapesChange() {
        assertThat(ProtoJson.unescapeHtmlSafe("\"a\\u003db\\u003c\\u003e\\u0026\\u0027\"")).isEqualTo("\"a=b<>&'\"");
        // an escaped backslash before "u003d" is text, and other escapes stay
        assertThat(ProtoJson.unescapeHtmlSafe("\"\\\\u003d \\u0001 \\n\"")).isEqualTo("\"\\\\u003d \\u0001 \\n\"");
    }
}
