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
    @Option(names = "--max-tokens", defaultValue = "4096", description = "token budget per question (default: ${DEFAULT-VALUE})")
    long maxTokens;
    @Option(names = "--max-verifier-calls", defaultValue = "256", description = "verifier budget per question (default: ${DEFAULT-VALUE})")
    int maxVerifierCalls;
    @Option(names = "--deadline-ms", defaultValue = "60000", description = "deadline per question (default: ${DEFAULT-VALUE})")
    int deadlineMs;

    public SearchSpec spec() {
        Map<String, String> all = new LinkedHashMap<>();
        if (n != null) {
            all.put("n", Integer.toString(n));
        }
        all.putAll(params);
        return new SearchSpec(strategy, all, maxTokens, maxVerifierCalls, deadlineMs);
    }
}
