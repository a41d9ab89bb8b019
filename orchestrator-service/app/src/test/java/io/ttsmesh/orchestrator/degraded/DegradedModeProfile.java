package io.ttsmesh.orchestrator.degraded;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.ttsmesh.orchestrator.testing.ScriptedGenerator;
import io.ttsmesh.orchestrator.testing.ScriptedVerifier;

import java.util.List;
import java.util.Map;

/** An orchestrator on its own scripted generator and verifier, so a test may kill the verifier. */
public class DegradedModeProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Pods.class));
    }

    public static class Pods implements QuarkusTestResourceLifecycleManager {

        public static volatile ScriptedGenerator generator;
        public static volatile ScriptedVerifier verifier;

        @Override
        public Map<String, String> start() {
            try {
                generator = new ScriptedGenerator("gen-degraded");
                verifier = new ScriptedVerifier("ver-degraded");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of(
                    "tts.orchestrator.generators.addresses", generator.address(),
                    "tts.orchestrator.verifiers.addresses", verifier.address());
        }

        @Override
        public void stop() {
            try {
                generator.close();
                verifier.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
