package io.ttsmesh.orchestrator.access;

import io.grpc.Context;

/**
 * Who is asking: the id of the API key a request presented (never the key itself), and that key's
 * limits. {@link #UNRESTRICTED} stands for every caller when authentication is off, and for the internal
 * Kafka plane (whose access is Kafka's ACLs).
 */
public record Caller(String keyId, KeyLimits limits) {

    /** The gRPC context key under which the interceptor leaves the caller for the service. */
    public static final Context.Key<Caller> CONTEXT = Context.key("tts-caller");

    public static final Caller UNRESTRICTED = new Caller("", null);

    /** The caller of the current gRPC call (UNRESTRICTED when no interceptor set one). */
    public static Caller current() {
        Caller caller = CONTEXT.get();
        return caller == null ? UNRESTRICTED : caller;
    }

    public boolean restricted() {
        return limits != null;
    }
}
