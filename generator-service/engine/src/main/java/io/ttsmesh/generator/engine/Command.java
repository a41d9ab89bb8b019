package io.ttsmesh.generator.engine;

import java.util.List;

/**
 * What a session asks of the engine (generator.proto's SessionCommand). Every command carries the
 * client's {@code commandId}; every event answering it carries it back.
 */
public sealed interface Command {

    long commandId();

    /** Creates one branch per id from a prompt prefilled once; answered by {@link Event.Started}. */
    record Start(long commandId, String prompt, List<Long> branchIds, Sampling sampling, List<Long> seeds,
                 String stepDelimiter) implements Command {
    }

    /**
     * Generates the next step of each branch; answered by one {@link Event.Step} per branch (or a
     * {@link Event.Failed} naming it).
     *
     * @param toEnd ignore the step delimiter (run to EOS, the quota or the context limit)
     * @param stops extra stop strings (OpenAI {@code stop}); the step ends with DELIMITER when one appears
     * @param streamTokens also send {@link Event.Progress} with each token (streaming clients)
     * @param tokenLogprobs report every token's log-probability (and alternatives) in the Steps; without it a Step
     *                      carries only the step's mean
     */
    record Extend(long commandId, List<Long> branchIds, int maxTokens, boolean toEnd, boolean suppressEos, Long reseed,
                  ConfidenceStop confidenceStop, List<String> stops, boolean streamTokens, boolean tokenLogprobs)
            implements Command {

        /** With every token's log-probability reported. */
        public Extend(long commandId, List<Long> branchIds, int maxTokens, boolean toEnd, boolean suppressEos, Long reseed,
                      ConfidenceStop confidenceStop, List<String> stops, boolean streamTokens) {
            this(commandId, branchIds, maxTokens, toEnd, suppressEos, reseed, confidenceStop, stops, streamTokens, true);
        }

        public static Extend nextStep(long commandId, List<Long> branchIds, int maxTokens) {
            return new Extend(commandId, branchIds, maxTokens, false, false, null, null, List.of(), false);
        }

        public static Extend toEnd(long commandId, List<Long> branchIds, int maxTokens) {
            return new Extend(commandId, branchIds, maxTokens, true, false, null, null, List.of(), false);
        }
    }

    /** DeepConf online: stop a branch when its window confidence falls below {@code threshold}. */
    record ConfidenceStop(int window, float threshold) {
    }

    /** Copies a live branch into children that share its KV; answered by {@link Event.Forked}. */
    record Fork(long commandId, long branchId, List<Long> childIds, List<Long> childSeeds) implements Command {
    }

    /** Drops branches and frees their KV; answered by {@link Event.Cancelled}. */
    record Cancel(long commandId, List<Long> branchIds) implements Command {
    }

    /** Greedy continuation after a cue on a copy of the branch; answered by {@link Event.Probed}. */
    record Probe(long commandId, long branchId, String cue, int maxTokens, String stop) implements Command {
    }

    /** Forces text into a branch (prefilled); answered by {@link Event.Appended}. */
    record Append(long commandId, long branchId, String text) implements Command {
    }

    /** Frees every branch; answered by {@link Event.Closed}. */
    record Close(long commandId) implements Command {
    }
}
