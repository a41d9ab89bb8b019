package io.ttsmesh.orchestrator.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.ttsmesh.orchestrator.testing.ScriptedGenerator;
import io.ttsmesh.orchestrator.testing.ScriptedVerifier;

import java.util.List;
import java.util.Map;

/**
 * An orchestrator that serves Countdown alone, as the local mesh under {@code --task countdown}: the default task
 * is countdown and the top-level pod groups are a scripted Countdown generator and verifier; no arithmetic pods.
 */
public class CountdownOnlyProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tts.orchestrator.task", "countdown");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Pods.class));
    }

    /** The Countdown pods, as the top-level generator and verifier groups. */
    public static class Pods implements QuarkusTestResourceLifecycleManager {

        public static volatile ScriptedGenerator generator;
        public static volatile ScriptedVerifier verifier;

        @Override
        public Map<String, String> start() {
            try {
                generator = new ScriptedGenerator("gen-countdown-only");
                verifier = new ScriptedVerifier("ver-countdown-only");
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
