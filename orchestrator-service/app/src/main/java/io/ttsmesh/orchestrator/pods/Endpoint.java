package io.ttsmesh.orchestrator.pods;

import io.grpc.ManagedChannel;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pod (generator or verifier): its channel, how many of our calls or sessions it carries, what its last
 * Describe said, and the state of its circuit breaker. The breaker itself lives in the guard of whoever
 * calls the pod; it reports its state here so that the choice of pod can skip open ones.
 */
public final class Endpoint {

    private final String address;
    private final ManagedChannel channel;
    private final AtomicInteger load = new AtomicInteger();
    private volatile CircuitBreakerState breaker = CircuitBreakerState.CLOSED;
    private volatile Boolean reachable; // null until the first probe
    private volatile String instance;
    private volatile String lastError;

    Endpoint(String address, String authority, ChannelFactory channels) {
        this.address = address;
        this.channel = channels.channel(address, authority);
    }

    public String address() {
        return address;
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** The pod's own instance name once a Describe answered, else its address. */
    public String instance() {
        String name = instance;
        return name == null || name.isEmpty() ? address : name;
    }

    public int load() {
        return load.get();
    }

    void acquire() {
        load.incrementAndGet();
    }

    void release() {
        load.decrementAndGet();
    }

    void breakerChanged(CircuitBreakerState state) {
        breaker = state;
    }

    /** Open breaker or a failed last probe: chosen only when nothing better is left. */
    boolean healthy() {
        return breaker != CircuitBreakerState.OPEN && !Boolean.FALSE.equals(reachable);
    }

    /** True when the last probe answered; false when it failed; null before the first probe. */
    public Boolean reachable() {
        return reachable;
    }

    public String lastError() {
        return lastError;
    }

    void probed(String instanceName) {
        instance = instanceName;
        reachable = true;
        lastError = null;
    }

    void probeFailed(String error) {
        reachable = false;
        lastError = error;
    }

    void shutdown() {
        channel.shutdown();
    }

    @Override
    public String toString() {
        return address;
    }
}
