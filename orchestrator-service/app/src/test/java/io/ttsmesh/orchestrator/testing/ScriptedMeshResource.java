package io.ttsmesh.orchestrator.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Two scripted generator pods and a scripted verifier pod on loopback for the orchestrator under test
 * (the real services are tested end to end by the mesh module).
 */
public class ScriptedMeshResource implements QuarkusTestResourceLifecycleManager {

    /** The pods of the running test, for assertions on what they saw. */
    public static volatile ScriptedGenerator generatorA;
    public static volatile ScriptedGenerator generatorB;
    public static volatile ScriptedVerifier verifier;

    @Override
    public Map<String, String> start() {
        try {
            generatorA = new ScriptedGenerator("gen-a");
            generatorB = new ScriptedGenerator("gen-b");
            verifier = new ScriptedVerifier("ver-a");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "tts.orchestrator.generators.addresses", generatorA.address() + "," + generatorB.address(),
                "tts.orchestrator.verifiers.addresses", verifier.address());
    }

    @Override
    public void stop() {
        try {
            generatorA.close();
            generatorB.close();
            verifier.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
