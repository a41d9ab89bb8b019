package io.ttsmesh.orchestrator.access;

import io.grpc.Context;
import io.ttsmesh.orchestrator.solving.InvalidRequest;
import io.ttsmesh.orchestrator.solving.TokenAccount;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who is asking: the id of the API key a request presented (never the key itself), and that key's
 * limits. {@link #UNRESTRICTED} stands for every caller when authentication is off, and for the internal
 * Kafka plane (whose access is Kafka's ACLs). A caller is the token account its searches spend from.
 */
public record Caller(String keyId, KeyLimits limits) implements TokenAccount {

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

    /**
     * Reserves a search's whole token budget from this key's allowance, before the search starts.
     *
     * @throws InvalidRequest when the budget is above the key's largest budget per request
     * @throws RateLimited    when the key's allowance has not that many tokens left
     */
    @Override
    public TokenAccount.Reservation reserve(long maxTokens) {
        if (!restricted()) {
            return spent -> {
            };
        }
        if (maxTokens > limits.maxTokensPerRequest()) {
            throw new InvalidRequest("budget.max_tokens", "above the largest budget of API key '" + keyId
                    + "' (" + limits.maxTokensPerRequest() + " tokens per request)");
        }
        long wait = limits.allowance().tryReserve(maxTokens);
        if (wait > 0) {
            throw new RateLimited("API key '" + keyId + "' has less than " + maxTokens
                    + " tokens left of its allowance; retry later with a smaller budget", wait);
        }
        TokenAllowance allowance = limits.allowance();
        AtomicBoolean settled = new AtomicBoolean();
        return spent -> {
            if (settled.compareAndSet(false, true)) {
                allowance.refund(maxTokens - Math.max(0, Math.min(spent, maxTokens)));
            }
        };
    }
}
