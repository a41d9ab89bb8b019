package io.ttsmesh.bench.mesh;

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
            """;

    @Test
    void readsAndSumsOverLabels() {
        assertThat(PrometheusText.value(EXPOSITION, "tts_generator_batch_size_sum")).hasValue(260.0);
        assertThat(PrometheusText.value(EXPOSITION, "tts_generator_command_errors_total")).hasValue(5.0);
        assertThat(PrometheusText.value(EXPOSITION, "tts_generator_batch")).isEmpty();
    }

    @Test
    void batchOccupancyIsRowsPerStepBetweenTwoReadings() {
        GeneratorCounters before = GeneratorCounters.of(EXPOSITION);
        GeneratorCounters after = new GeneratorCounters(260 + 300, 40 + 25, 2000);
        assertThat(after.batchRowsMeanSince(before)).isEqualTo(12.0);
        assertThat(before.batchRowsMeanSince(before)).isNaN();
        assertThat(GeneratorCounters.of("").batchRowsMeanSince(before)).isNaN();
    }
}
