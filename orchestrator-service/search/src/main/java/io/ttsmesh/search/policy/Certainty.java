package io.ttsmesh.search.policy;

import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.ParamSpec;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.Checkpoint;
import io.ttsmesh.search.tree.CheckpointActions;
import io.ttsmesh.search.tree.Policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Certainty probes (Dynasor, certaindex): every k steps (or k tokens) each live branch is probed for its
 * intermediate answer (the answer cue, then a short greedy continuation on a copy of the branch). Scope
 * {@code branch}: a branch whose last {@code agree} probes gave the same answer is ended with that answer.
 * Scope {@code search}: the search ends once, at {@code agree} checkpoints in a row, every live branch's
 * probe and every finished branch's answer were one and the same answer.
 */
public final class Certainty implements Policy {

    public static final String NAME = "certainty";

    private final int everySteps;
    private final int everyTokens;
    private final int agree;
    private final boolean searchScope;
    private final Map<Long, List<String>> probes = new HashMap<>();
    private final Map<Long, Integer> probedAtStep = new HashMap<>();
    private String unanimous;
    private int unanimousRounds;

    public Certainty(Params params) {
        this.everySteps = params.integer("every_steps");
        this.everyTokens = params.integer("every_tokens");
        this.agree = params.integer("agree");
        this.searchScope = params.choice("scope").equals("search");
    }

    public static MethodDefinition<Policy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "probe each branch's intermediate answer every k steps (or tokens); end a "
                + "branch, or the search, when the last probes agree", false,
                List.of(ParamSpec.integer("every_steps", 1, 1, settings.maxIterations(), "probe every k steps of a branch"),
                        ParamSpec.integer("every_tokens", 0, 0, 100_000, "probe every k generated tokens instead (0: by steps)"),
                        ParamSpec.integer("agree", 3, 2, 32, "consecutive equal probe answers that count as certain"),
                        ParamSpec.choice("scope", "branch", List.of("branch", "search"),
                                "branch: end a certain branch with its answer; search: end the search when all agree")),
                Certainty::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsStepCheckpoints() {
        return everyTokens == 0;
    }

    @Override
    public int checkpointTokens() {
        return everyTokens;
    }

    @Override
    public void atCheckpoint(CheckpointActions search, Checkpoint checkpoint) {
        List<Branch> probed = new ArrayList<>();
        for (Branch b : checkpoint.branches()) {
            if (!b.isLive() || !due(b, checkpoint)) {
                continue;
            }
            if (search.settings().answerFormat().extract(b.answerText()) != null) {
                continue; // it has stated its answer already and is about to finish
            }
            String answer = search.probeAnswer(b);
            List<String> history = probes.computeIfAbsent(b.id(), id -> new ArrayList<>());
            history.add(answer);
            probed.add(b);
            if (!searchScope && certain(history)) {
                search.decide("stop_branch", "the last " + agree + " probes of branch " + b.id() + " all answered "
                        + answer, List.of(b), Map.of("agree", (double) agree, "probes", (double) history.size()));
                search.finishWithAnswer(b, answer, search.settings().answerCue() + " " + answer);
            }
        }
        if (searchScope && !probed.isEmpty()) {
            checkSearch(search);
        }
    }

    private boolean due(Branch b, Checkpoint checkpoint) {
        if (everyTokens > 0) {
            return true;
        }
        if (!checkpoint.stepBoundary() || b.stepCount() % everySteps != 0) {
            return false;
        }
        return !Objects.equals(probedAtStep.put(b.id(), b.stepCount()), b.stepCount());
    }

    private boolean certain(List<String> history) {
        if (history.size() < agree) {
            return false;
        }
        String last = history.get(history.size() - 1);
        return last != null && history.subList(history.size() - agree, history.size()).stream().allMatch(last::equals);
    }

    private void checkSearch(CheckpointActions search) {
        String common = null;
        boolean all = true;
        for (Branch b : search.live()) {
            List<String> history = probes.get(b.id());
            String latest = history == null || history.isEmpty() ? null : history.get(history.size() - 1);
            all &= latest != null && (common == null || common.equals(latest));
            common = common == null ? latest : common;
        }
        for (Branch b : search.voters()) {
            all &= b.answer() != null && (common == null || common.equals(b.answer()));
            common = common == null ? b.answer() : common;
        }
        if (!all || common == null) {
            unanimous = null;
            unanimousRounds = 0;
            return;
        }
        unanimousRounds = common.equals(unanimous) ? unanimousRounds + 1 : 1;
        unanimous = common;
        if (unanimousRounds >= agree) {
            double branches = search.live().size() + search.voters().size();
            // the live branches end with the answer their probes agree on, so they vote for it
            for (Branch b : search.live()) {
                search.finishWithAnswer(b, common, search.settings().answerCue() + " " + common);
            }
            search.exit("every branch's probe and answer agreed on " + common + " at " + agree
                    + " checkpoints in a row", common, Map.of("agree", (double) agree, "branches", branches));
        }
    }
}
