package io.ttsmesh.orchestrator.access;

/** No valid API key: gRPC UNAUTHENTICATED / HTTP 401. The message never repeats what the client sent. */
public class Unauthenticated extends RuntimeException {

    public Unauthenticated(String message) {
        super(message, null, false, false);
    }
}
