package io.ttsmesh.orchestrator.solving;

/** Every running slot and queue place is taken (or the job store is full): RESOURCE_EXHAUSTED / HTTP 429, at once. */
public class OverCapacity extends RuntimeException {

    public OverCapacity(String message) {
        super(message);
    }
}
