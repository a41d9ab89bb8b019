package io.ttsmesh.mesh;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Command-line options naming the search to run and its budget. */
public class SearchOptions {

    @Option(names = "--strategy", defaultValue = "beam_search", description = "a strategy of the orchestrator's catalog (default: ${DEFAULT-VALUE})")
    String strategy;
    @Option(names = "--n", description = "the strategy's n: samples, beams, particles (default: the strategy's own; best_first and mcts have none, use --param k=...)")
    Integer n;
    @Option(names = "--param", description = "another strategy parameter, name=value (repeatable)")
    Map<String, String> params = new LinkedHashMap<>();
    @Option(names = "--verifier", description = "the verifier: prm, orm, confidence, rules, oracle, or a stack such as "
            + "rules+prm (default: rules+prm for countdown, the orchestrator's default (prm) for arithmetic)")
    String verifier;
    @Option(names = "--max-tokens", defaultValue = "4096", description = "token budget per question (default: ${DEFAULT-VALUE})")
    long maxTokens;
    @Option(names = "--max-verifier-calls", defaultValue = "256", description = "verifier budget per question (default: ${DEFAULT-VALUE})")
    int maxVerifierCalls;
    @Option(names = "--deadline-ms", defaultValue = "60000", description = "deadline per question (default: ${DEFAULT-VALUE})")
    int deadlineMs;

    /** The search as the options give it; the verifier only where {@code --verifier} was given. */
    public SearchSpec spec() {
        Map<String, String> all = new LinkedHashMap<>();
        if (n != null) {
            all.put("n", Integer.toString(n));
        }
        all.putAll(params);
        return new SearchSpec(strategy, all, maxTokens, maxVerifierCalls, deadlineMs, verifier);
    }

    /**
     * The search for a question of {@code task}: {@code --verifier} where given, else the mesh's choice for the task.
     * Countdown's PRM alone lets through steps that break the rules, which the rule checker catches exactly, so its
     * searches stack them.
     */
    public SearchSpec spec(String task) {
        SearchSpec spec = spec();
        return verifier == null && DEFAULT_VERIFIERS.containsKey(task) ? spec.withVerifier(DEFAULT_VERIFIERS.get(task)) : spec;
    }

    /** The verifier the mesh's commands ask for per task when --verifier is not given (others: the orchestrator's default). */
    public static final Map<String, String> DEFAULT_VERIFIERS = Map.of("countdown", "rules+prm");
}
