package io.ttsmesh.mesh.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {

    private static final String EXPOSITION = """
            # HELP tts_generator_batch_size Rows (branches) per decode step
            # TYPE tts_generator_batch_size summary
            tts_generator_batch_size_count 40.0
            tts_generator_batch_size_sum 260.0
            tts_generator_batch_size_max 16.0
            tts_generator_command_errors_total{code="NOT_FOUND"} 2.0
            tts_generator_command_errors_total{code="RESOURCE_EXHAUSTED"} 3.0
            tts_generator_generated_tokens_total 1234.0
            tts_verifier_candidates_total{outcome="scored",verifier="prm"} 7.0
            tts_verifier_candidates_total{outcome="rejected",verifier="prm"} 1.0
            """;

    @Test
    void readsAndSumsOverLabels() {
        assertThat(PrometheusText.value(EXPOSITION, "tts_generator_batch_size_sum")).hasValue(260.0);
        assertThat(PrometheusText.value(EXPOSITION, "tts_generator_command_errors_total")).hasValue(5.0);
        assertThat(PrometheusText.value(EXPOSITION, "tts_generator_batch")).isEmpty();
    }

    @Test
    void keepsOnlyTheLabelSetsAsked() {
        assertThat(PrometheusText.value(EXPOSITION, "tts_verifier_candidates_total", "outcome=\"scored\"")).hasValue(7.0);
        assertThat(PrometheusText.value(EXPOSITION, "tts_generator_command_errors_total", "code=\"NOT_FOUND\"")).hasValue(2.0);
        assertThat(PrometheusText.value(EXPOSITION, "tts_verifier_candidates_total", "outcome=\"timeout\"")).isEmpty();
    }
}
