package io.ttsmesh.search.policy;

import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.catalog.InvalidParam;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.ParamSpec;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.Checkpoint;
import io.ttsmesh.search.tree.CheckpointActions;
import io.ttsmesh.search.tree.ExtendPlan;
import io.ttsmesh.search.tree.Policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Budget forcing (s1, Muennighoff et al. 2025). Minimum: while a branch has generated fewer than
 * {@code min_tokens}, it may not end (the end of sequence is suppressed), and when it states an answer too
 * early the continuation cue (configuration, "Wait") is appended, which revokes that answer and makes it
 * reason on (at most {@code max_continuations} times). Maximum: a branch that reaches {@code max_tokens} is
 * forced to conclude: the answer cue (configuration, "A:") is appended and a short answer is generated.
 */
public final class BudgetForcing implements Policy {

    public static final String NAME = "budget_forcing";

    private final int minTokens;
    private final int maxTokens;
    private final int maxContinuations;
    private final Map<Long, Integer> continuations = new HashMap<>();

    public BudgetForcing(Params params) {
        this.minTokens = params.integer("min_tokens");
        this.maxTokens = params.integer("max_tokens");
        this.maxContinuations = params.integer("max_continuations");
        if (minTokens == 0 && maxTokens == 0) {
            throw new InvalidParam("max_tokens", "set min_tokens or max_tokens (both are 0)");
        }
        if (maxTokens > 0 && minTokens > maxTokens) {
            throw new InvalidParam("min_tokens", "must not exceed max_tokens (" + maxTokens + "), got " + minTokens);
        }
    }

    public static MethodDefinition<Policy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "s1 budget forcing: a minimum reasoning length (no end, a continuation "
                + "cue instead of an early answer) and a maximum (the answer cue is forced)", false,
                List.of(ParamSpec.integer("min_tokens", 0, 0, 1_000_000, "tokens a branch generates before it may end (0: no minimum)"),
                        ParamSpec.integer("max_tokens", 0, 0, 1_000_000, "tokens after which the answer is forced (0: no maximum)"),
                        ParamSpec.integer("max_continuations", 4, 0, 64, "continuation cues appended per branch at most")),
                BudgetForcing::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsStepCheckpoints() {
        return minTokens > 0;
    }

    private boolean belowMinimum(Branch b) {
        return minTokens > 0 && b.generatedTokens() < minTokens && continuations.getOrDefault(b.id(), 0) < maxContinuations;
    }

    @Override
    public void beforeExtend(ExtendPlan plan) {
        if (minTokens > 0) {
            plan.suppressEos(this::belowMinimum);
        }
        if (maxTokens > 0) {
            plan.pending().stream().mapToLong(b -> maxTokens - b.generatedTokens()).filter(room -> room > 0).min()
                    .ifPresent(room -> plan.capTokens((int) Math.min(Integer.MAX_VALUE, room)));
        }
    }

    @Override
    public void atCheckpoint(CheckpointActions search, Checkpoint checkpoint) {
        List<Branch> forced = new ArrayList<>();
        for (Branch b : checkpoint.branches()) {
            if (!b.isLive()) {
                continue;
            }
            if (maxTokens > 0 && b.generatedTokens() >= maxTokens) {
                forced.add(b);
            } else if (belowMinimum(b) && search.settings().answerFormat().extract(b.answerText()) != null) {
                int n = continuations.merge(b.id(), 1, Integer::sum);
                String cue = (b.atStepBoundary() ? "" : search.settings().stepDelimiter()) + search.settings().continuationCue();
                search.append(b, cue, true);
                search.decide("force", "branch " + b.id() + " answered after " + b.generatedTokens() + " of at least "
                        + minTokens + " tokens; appended the continuation cue (" + n + " of " + maxContinuations + ")",
                        List.of(b), Map.of("tokens", (double) b.generatedTokens(), "min_tokens", (double) minTokens));
            }
        }
        if (!forced.isEmpty()) {
            for (Branch b : forced) {
                search.append(b, search.answerCueFor(b), false);
            }
            search.decide("force", forced.size() + " branch(es) reached the maximum of " + maxTokens
                    + " tokens; the answer cue was appended", forced, Map.of("max_tokens", (double) maxTokens));
            search.forceToEnd(forced, search.settings().probeTokens());
            for (Branch b : forced) {
                if (!b.isLive()) {
                    continue;
                }
                String answer = search.settings().answerFormat().extract(b.answerText());
                if (answer != null) {
                    search.finishWithAnswer(b, answer, "");
                } else {
                    search.prune(List.of(b), "did not state an answer within " + search.settings().probeTokens()
                            + " tokens of the answer cue");
                }
            }
        }
    }
}
