package io.ttsmesh.orchestrator.access;

/** One API key's limits and their live state: its request rate, the largest budget per request, its token allowance. */
public record KeyLimits(RequestRate rate, long maxTokensPerRequest, TokenAllowance allowance) {
}
