package io.ttsmesh.orchestrator.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Two scripted generator pods and a scripted verifier pod on loopback for the orchestrator under test, and a
 * generator and a verifier pod of a second task, countdown (the real services are tested end to end by the
 * mesh module).
 */
public class ScriptedMeshResource implements QuarkusTestResourceLifecycleManager {

    /** The pods of the running test, for assertions on what they saw. */
    public static volatile ScriptedGenerator generatorA;
    public static volatile ScriptedGenerator generatorB;
    public static volatile ScriptedVerifier verifier;
    public static volatile ScriptedGenerator countdownGenerator;
    public static volatile ScriptedVerifier countdownVerifier;

    @Override
    public Map<String, String> start() {
        try {
            generatorA = new ScriptedGenerator("gen-a");
            generatorB = new ScriptedGenerator("gen-b");
            verifier = new ScriptedVerifier("ver-a");
            countdownGenerator = new ScriptedGenerator("gen-countdown");
            countdownVerifier = new ScriptedVerifier("ver-countdown");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "tts.orchestrator.generators.addresses", generatorA.address() + "," + generatorB.address(),
                "tts.orchestrator.verifiers.addresses", verifier.address(),
                "tts.orchestrator.tasks.countdown.generators.addresses", countdownGenerator.address(),
                "tts.orchestrator.tasks.countdown.verifiers.addresses", countdownVerifier.address(),
                "tts.orchestrator.tasks.countdown.search.verifiers", "prm,rules,oracle");
    }

    @Override
    public void stop() {
        try {
            generatorA.close();
            generatorB.close();
            verifier.close();
            countdownGenerator.close();
            countdownVerifier.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
