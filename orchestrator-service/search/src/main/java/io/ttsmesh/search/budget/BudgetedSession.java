package io.ttsmesh.search.budget;

import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.PendingStart;
import io.ttsmesh.search.generation.ProbeResult;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.generation.SessionTotals;
import io.ttsmesh.search.generation.Step;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * A generation session that cannot overspend: every call that samples tokens reserves them from the
 * {@link BudgetMeter} first (clamping the call's quota to what is left) and counts what the generator
 * reports; prefilled tokens and created branches are counted too. Strategies and policies reach the
 * generator only through this class.
 */
public final class BudgetedSession {

    private final GenerationSession session;
    private final BudgetMeter meter;

    public BudgetedSession(GenerationSession session, BudgetMeter meter) {
        this.session = session;
        this.meter = meter;
    }

    /**
     * Starts branches without waiting for the generator's answer ({@link GenerationSession#startAhead}): the
     * branches count at once, the prompt's tokens once the answer is read.
     */
    public PendingStart startAhead(String prompt, List<Long> branchIds, SamplingParams sampling) {
        meter.checkDeadline();
        PendingStart pending;
        try {
            pending = session.startAhead(prompt, branchIds, sampling);
        } finally {
            countFailoverPrefill();
        }
        meter.addBranches(branchIds.size());
        return new PendingStart() {
            private Integer promptTokens;

            @Override
            public int promptTokens() {
                if (promptTokens == null) {
                    int tokens;
                    try {
                        tokens = pending.promptTokens();
                    } finally {
                        countFailoverPrefill();
                    }
                    meter.addPrefillTokens(tokens);
                    promptTokens = tokens;
                }
                return promptTokens;
            }
        };
    }

    /**
     * Extends the branches with the extension's quota clamped to the budget.
     *
     * @throws BudgetExhausted (before calling the generator) when not one token per branch is left
     */
    public void extend(List<Long> branchIds, Extension extension, Consumer<Step> onStep) {
        meter.checkDeadline();
        try (BudgetMeter.TokenReservation reservation = meter.reserveTokens(branchIds.size(), extension.maxTokens())) {
            session.extend(branchIds, extension.withMaxTokens(reservation.perBranch()), step -> {
                reservation.spend(step.tokens());
                onStep.accept(step);
            });
        } finally {
            countFailoverPrefill();
        }
    }

    public void fork(long parentId, List<Long> childIds) {
        meter.checkDeadline();
        try {
            session.fork(parentId, childIds, List.of());
        } finally {
            countFailoverPrefill();
        }
        meter.addBranches(childIds.size());
    }

    /** Frees branches; never refused (it spends nothing and must work while a search winds down). */
    public void cancel(Collection<Long> branchIds) {
        if (!branchIds.isEmpty()) {
            session.cancel(branchIds);
        }
    }

    /**
     * Probes a branch with a quota clamped to the budget.
     *
     * @throws BudgetExhausted when no token is left
     */
    public ProbeResult probe(long branchId, String cue, int maxTokens, String stop) {
        meter.checkDeadline();
        try (BudgetMeter.TokenReservation reservation = meter.reserveTokens(1, maxTokens)) {
            ProbeResult result;
            try {
                result = session.probe(branchId, cue, reservation.perBranch(), stop);
            } finally {
                countFailoverPrefill();
            }
            reservation.spend(result.generatedTokens());
            meter.addPrefillTokens(result.cueTokens());
            return result;
        }
    }

    public int append(long branchId, String text) {
        meter.checkDeadline();
        int tokens;
        try {
            tokens = session.append(branchId, text);
        } finally {
            countFailoverPrefill();
        }
        meter.addPrefillTokens(tokens);
        return tokens;
    }

    public String generator() {
        return session.generator();
    }

    public SessionTotals close() {
        try {
            return session.close();
        } finally {
            countFailoverPrefill();
        }
    }

    /**
     * Failover prefill is spend like any prompt: the surviving generator did the work and reports it in its
     * totals. It is counted in Spend but, like every prefill, not against the token budget (which limits
     * generated tokens), so a pod fault never shortens the answer a client paid for.
     */
    private void countFailoverPrefill() {
        long tokens = session.takeFailoverPrefill();
        if (tokens > 0) {
            meter.addPrefillTokens(tokens);
        }
    }
}
