package io.ttsmesh.search.settings;

import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.answer.AnswerFormat;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.settings.ComputeOptimalTable;
import io.ttsmesh.search.settings.RoutingTable;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Server-side settings of the searches, filled by the orchestrator app from its configuration
 * ({@code tts.orchestrator.search.*}); {@link #defaults()} suits the bundled test bed, tests and library mode.
 *
 * @param promptTemplate the prompt sent to the generator; {@code {question}} is replaced by the question (unless
 *                       {@code promptFormat} is set)
 * @param answerFormat where a solution states its answer and how answers compare
 * @param stepDelimiter the generator's step delimiter (must match the model's; the test bed uses "\n")
 * @param stepTokens token quota of one step
 * @param solutionTokens token quota of one whole sample (strategies that sample to the end)
 * @param maxN upper bound of the strategies' n (and k) parameters
 * @param maxWidth upper bound of beam widths
 * @param maxIterations upper bound of iteration / expansion parameters
 * @param defaultSampling sampling where the request leaves a field unset
 * @param maxQuestionChars longest question accepted
 * @param maxBudgetTokens largest Budget.maxTokens accepted
 * @param maxBudgetVerifierCalls largest Budget.maxVerifierCalls accepted
 * @param maxDeadline longest Budget.deadline accepted
 * @param verifiers verifier names the scorer serves ("exact" is the old name of "oracle"); requests may stack
 *                  them as "rules+prm"
 * @param defaultVerifier verifier used when the request names none
 * @param answerCue text that makes the model state its answer (probes, forced answers)
 * @param continuationCue text that makes the model keep reasoning (budget forcing)
 * @param probeTokens token quota of a probe or a forced answer
 * @param maxTopLogprobs upper bound of SamplingParams.topLogprobs
 * @param computeOptimalTable the table of the compute_optimal policy, or null when none is configured
 * @param routingTable the table of the routed strategy (per task and difficulty), or null when none is configured
 * @param promptFormat the prompt as a function of the question (a model's chat template rendered per question), or
 *                     null to fill {@code promptTemplate}; when set it wins over {@code promptTemplate}
 * @param degradedMode whether a search whose verifier is gone (UNAVAILABLE after the ports' retries) answers by an
 *                     unscored vote ({@link StopReason#DEGRADED}) unless its request forbids it; true in
 *                     {@link #defaults()}: a user of a service expects an answer, and a degraded one says so
 * @param scoreAhead whether a strategy that scores what it generates has the first half of a round's finished samples
 *                   (and of a step's branches, once scoring is slow enough) scored while the others still generate (one
 *                   verifier call more, off the critical path; see ScoreAhead); true in {@link #defaults()}
 */
public record SearchSettings(String promptTemplate, AnswerFormat answerFormat, String stepDelimiter, int stepTokens,
                             int solutionTokens, int maxN, int maxWidth, int maxIterations,
                             SamplingParams defaultSampling, int maxQuestionChars, long maxBudgetTokens,
                             int maxBudgetVerifierCalls, Duration maxDeadline, List<String> verifiers,
                             String defaultVerifier, String answerCue, String continuationCue, int probeTokens,
                             int maxTopLogprobs, ComputeOptimalTable computeOptimalTable, RoutingTable routingTable,
                             PromptFormat promptFormat, boolean degradedMode, boolean scoreAhead) {

    public SearchSettings {
        Objects.requireNonNull(promptTemplate, "promptTemplate");
        Objects.requireNonNull(answerFormat, "answerFormat");
        if (stepDelimiter == null || stepDelimiter.isEmpty()) {
            throw new IllegalArgumentException("stepDelimiter must not be empty");
        }
        requirePositive("stepTokens", stepTokens);
        requirePositive("solutionTokens", solutionTokens);
        requirePositive("maxN", maxN);
        requirePositive("maxWidth", maxWidth);
        requirePositive("maxIterations", maxIterations);
        requirePositive("maxQuestionChars", maxQuestionChars);
        requirePositive("maxBudgetTokens", maxBudgetTokens);
        requirePositive("probeTokens", probeTokens);
        if (maxBudgetVerifierCalls < 0 || maxTopLogprobs < 0) {
            throw new IllegalArgumentException("maxBudgetVerifierCalls and maxTopLogprobs must not be negative");
        }
        Objects.requireNonNull(defaultSampling, "defaultSampling");
        Objects.requireNonNull(maxDeadline, "maxDeadline");
        verifiers = List.copyOf(verifiers);
        if (!verifiers.contains(defaultVerifier)) {
            throw new IllegalArgumentException("defaultVerifier " + defaultVerifier + " is not among " + verifiers);
        }
        Objects.requireNonNull(answerCue, "answerCue");
        Objects.requireNonNull(continuationCue, "continuationCue");
    }

    /** The test bed's settings: prompt "Q: {question}\n", answers "A: <integer>", steps end with "\n", temperature 0.8. */
    public static SearchSettings defaults() {
        return new SearchSettings("Q: {question}\n", AnswerFormat.testBed(), "\n", 64, 256, 256, 64, 200,
                new SamplingParams(0.8f, null, null, null, 0), 4000, 1_000_000, 100_000, Duration.ofMinutes(10),
                List.of("prm", "orm", "rules", "oracle", "exact", "confidence"), "prm", "A:", "Wait", 16, 20, null, null,
                null, true, true);
    }

    /** The generator's prompt for a canonical question. */
    public String prompt(String question) {
        return promptFormat != null ? promptFormat.prompt(question) : promptTemplate.replace("{question}", question);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requirePositive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    /** Changes some settings, keeping the others. */
    public static final class Builder {
        private String promptTemplate;
        private AnswerFormat answerFormat;
        private String stepDelimiter;
        private int stepTokens;
        private int solutionTokens;
        private int maxN;
        private int maxWidth;
        private int maxIterations;
        private SamplingParams defaultSampling;
        private int maxQuestionChars;
        private long maxBudgetTokens;
        private int maxBudgetVerifierCalls;
        private Duration maxDeadline;
        private List<String> verifiers;
        private String defaultVerifier;
        private String answerCue;
        private String continuationCue;
        private int probeTokens;
        private int maxTopLogprobs;
        private ComputeOptimalTable computeOptimalTable;
        private RoutingTable routingTable;
        private PromptFormat promptFormat;
        private boolean degradedMode;
        private boolean scoreAhead;

        private Builder(SearchSettings s) {
            promptTemplate = s.promptTemplate;
            answerFormat = s.answerFormat;
            stepDelimiter = s.stepDelimiter;
            stepTokens = s.stepTokens;
            solutionTokens = s.solutionTokens;
            maxN = s.maxN;
            maxWidth = s.maxWidth;
            maxIterations = s.maxIterations;
            defaultSampling = s.defaultSampling;
            maxQuestionChars = s.maxQuestionChars;
            maxBudgetTokens = s.maxBudgetTokens;
            maxBudgetVerifierCalls = s.maxBudgetVerifierCalls;
            maxDeadline = s.maxDeadline;
            verifiers = s.verifiers;
            defaultVerifier = s.defaultVerifier;
            answerCue = s.answerCue;
            continuationCue = s.continuationCue;
            probeTokens = s.probeTokens;
            maxTopLogprobs = s.maxTopLogprobs;
            computeOptimalTable = s.computeOptimalTable;
            routingTable = s.routingTable;
            promptFormat = s.promptFormat;
            degradedMode = s.degradedMode;
            scoreAhead = s.scoreAhead;
        }

        /** A string template; clears a {@link #promptFormat} set before (the last one set is used). */
        public Builder promptTemplate(String v) { promptTemplate = v; promptFormat = null; return this; }
        /** The prompt as a function of the question; wins over the string template. */
        public Builder promptFormat(PromptFormat v) { promptFormat = v; return this; }
        public Builder answerFormat(AnswerFormat v) { answerFormat = v; return this; }
        public Builder stepDelimiter(String v) { stepDelimiter = v; return this; }
        public Builder stepTokens(int v) { stepTokens = v; return this; }
        public Builder solutionTokens(int v) { solutionTokens = v; return this; }
        public Builder maxN(int v) { maxN = v; return this; }
        public Builder maxWidth(int v) { maxWidth = v; return this; }
        public Builder maxIterations(int v) { maxIterations = v; return this; }
        public Builder defaultSampling(SamplingParams v) { defaultSampling = v; return this; }
        public Builder maxQuestionChars(int v) { maxQuestionChars = v; return this; }
        public Builder maxBudgetTokens(long v) { maxBudgetTokens = v; return this; }
        public Builder maxBudgetVerifierCalls(int v) { maxBudgetVerifierCalls = v; return this; }
        public Builder maxDeadline(Duration v) { maxDeadline = v; return this; }
        public Builder verifiers(List<String> v) { verifiers = v; return this; }
        public Builder defaultVerifier(String v) { defaultVerifier = v; return this; }
        public Builder answerCue(String v) { answerCue = v; return this; }
        public Builder continuationCue(String v) { continuationCue = v; return this; }
        public Builder probeTokens(int v) { probeTokens = v; return this; }
        public Builder maxTopLogprobs(int v) { maxTopLogprobs = v; return this; }
        public Builder computeOptimalTable(ComputeOptimalTable v) { computeOptimalTable = v; return this; }
        public Builder routingTable(RoutingTable v) { routingTable = v; return this; }
        public Builder degradedMode(boolean v) { degradedMode = v; return this; }
        public Builder scoreAhead(boolean v) { scoreAhead = v; return this; }

        public SearchSettings build() {
            return new SearchSettings(promptTemplate, answerFormat, stepDelimiter, stepTokens, solutionTokens, maxN,
                    maxWidth, maxIterations, defaultSampling, maxQuestionChars, maxBudgetTokens, maxBudgetVerifierCalls,
                    maxDeadline, verifiers, defaultVerifier, answerCue, continuationCue, probeTokens, maxTopLogprobs,
                    computeOptimalTable, routingTable, promptFormat, degradedMode, scoreAhead);
        }
    }
}
