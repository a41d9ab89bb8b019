package io.ttsmesh.bench.mesh;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The JIT compile thresholds this JVM runs with ({@code -XX:CompileThresholdScaling}), which the benchmark's services
 * get too, so both paths compile alike. Code a search runs once (the Solve call, opening a session, mapping a result)
 * reaches C2 at the default thresholds (5,000-15,000 invocations) only after as many searches, about what a benchmark's
 * whole warm-up affords; scaled down (0.1), it gets there early in the bulk warm-up, as it has long since in a service
 * that has run for a day.
 *
 * @param scaling the flag's value as the JVM reports it ("1.0": the default thresholds)
 */
record JitThresholds(String scaling) {

    static JitThresholds ofThisJvm() {
        try {
            return new JitThresholds(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("CompileThresholdScaling").getValue());
        } catch (RuntimeException e) { // not HotSpot
            return new JitThresholds("1.0");
        }
    }

    boolean defaults() {
        try {
            return Double.parseDouble(scaling) == 1.0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The options that give a child JVM the same thresholds: none when they are the defaults. */
    List<String> jvmOptions() {
        return defaults() ? List.of() : List.of("-XX:CompileThresholdScaling=" + scaling);
    }

    /** {@code java} with the flag that gives a JVM these thresholds, as a report's command names it. */
    String javaCommand() {
        return defaults() ? "java" : "java " + String.join(" ", jvmOptions());
    }

    String describe() {
        return defaults() ? "the JVM's defaults" : "CompileThresholdScaling=" + scaling + " in every JVM (this one and the services)";
    }
}
