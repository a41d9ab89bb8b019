package io.ttsmesh.bench.mesh;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratorCountersTest {

    private static final String EXPOSITION = """
            tts_generator_batch_size_count 40.0
            tts_generator_batch_size_sum 260.0
            tts_generator_generated_tokens_total 1234.0
            tts_generator_decode_step_seconds_sum 0.5
            """;

    @Test
    void batchOccupancyIsRowsPerStepBetweenTwoReadings() {
        GeneratorCounters before = GeneratorCounters.of(EXPOSITION);
        assertThat(before).isEqualTo(new GeneratorCounters(260, 40, 1234, 500));
        GeneratorCounters after = new GeneratorCounters(260 + 300, 40 + 25, 2000, 750);
        assertThat(after.batchRowsMeanSince(before)).isEqualTo(12.0);
        assertThat(before.batchRowsMeanSince(before)).isNaN();
        assertThat(after.minus(before)).isEqualTo(new GeneratorCounters(300, 25, 766, 250));
        assertThat(GeneratorCounters.of("").batchRowsMeanSince(before)).isNaN();
    }
}
