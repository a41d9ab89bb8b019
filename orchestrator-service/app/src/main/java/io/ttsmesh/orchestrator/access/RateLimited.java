package io.ttsmesh.orchestrator.access;

import io.ttsmesh.orchestrator.solving.OverCapacity;

/**
 * A key over its request rate or its token allowance: RESOURCE_EXHAUSTED / HTTP 429, with the seconds after
 * which a retry can succeed (HTTP Retry-After, gRPC trailer {@code retry-after}).
 */
public class RateLimited extends OverCapacity {

    private final long retryAfterSeconds;

    public RateLimited(String message, long retryAfterNanos) {
        super(message);
        this.retryAfterSeconds = Math.max(1, (long) Math.ceil(Math.min(retryAfterNanos, 86_400e9) / 1e9));
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
