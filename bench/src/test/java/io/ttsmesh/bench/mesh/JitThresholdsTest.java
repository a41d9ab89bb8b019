package io.ttsmesh.bench.mesh;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class JitThresholdsTest {

    @Test
    void scaledThresholdsAreHandedToTheServices() {
        assertThat(new JitThresholds("0.1").jvmOptions()).containsExactly("-XX:CompileThresholdScaling=0.1");
        assertThat(new JitThresholds("1.0").jvmOptions()).isEmpty();
        assertThat(new JitThresholds("1.0").describe()).isEqualTo("the JVM's defaults");
        assertThat(new JitThresholds("0.1").javaCommand()).isEqualTo("java -XX:CompileThresholdScaling=0.1");
        assertThat(new JitThresholds("1.0").javaCommand()).isEqualTo("java");
    }

    @Test
    void readsTheFlagThisJvmRunsWith() {
        boolean scaled = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-XX:CompileThresholdScaling="));
        JitThresholds here = JitThresholds.ofThisJvm();
        assertThat(here.defaults()).isEqualTo(!scaled);
        assertThat(Double.parseDouble(here.scaling())).isPositive();
    }
}
