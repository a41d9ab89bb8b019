package io.ttsmesh.mesh.chaos;

/** What the chaos driver kills (SIGKILL) and restarts. */
public enum Victim {
    generator, verifier, orchestrator, broker
}
