package io.ttsmesh.orchestrator.solving;

import io.ttsmesh.orchestrator.OrchestratorConfig;
import io.ttsmesh.orchestrator.events.EventMessages;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The API-level checks of a SolveRequest (what the search engine cannot know: id format, required fields,
 * this pod's limits) and its translation into a {@link SearchRequest}. Strategy names, their parameters and
 * the budget's fit to the strategy are checked afterwards by the search runner.
 */
public final class SolveRequestMapper {

    public static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final int MAX_NAME = 64;
    private static final int MAX_PARAMS = 64;
    private static final int MAX_POLICIES = 16;
    private static final int MAX_PARAM_CHARS = 256;

    private final int maxQuestionChars;
    private final Duration maxDeadline;

    public SolveRequestMapper(int maxQuestionChars, Duration maxDeadline) {
        this.maxQuestionChars = maxQuestionChars;
        this.maxDeadline = maxDeadline;
    }

    public static SolveRequestMapper of(OrchestratorConfig config) {
        return new SolveRequestMapper(config.limits().maxQuestionChars(), config.limits().maxDeadline());
    }

    public SearchRequest map(SolveRequest r) {
        if (!REQUEST_ID.matcher(r.getRequestId()).matches()) {
            throw new InvalidRequest("request_id", "required, 1..128 characters of [A-Za-z0-9._:-]");
        }
        if (r.getQuestion().isBlank()) {
            throw new InvalidRequest("question", "required");
        }
        if (r.getQuestion().length() > maxQuestionChars) {
            throw new InvalidRequest("question", "longer than " + maxQuestionChars + " characters");
        }
        if (!wellFormed(r.getQuestion())) {
            throw new InvalidRequest("question", "not valid Unicode text (an unpaired surrogate or a NUL character)");
        }
        if (!r.hasStrategy() || r.getStrategy().getName().isBlank()) {
            throw new InvalidRequest("strategy.name", "required (see ListStrategies)");
        }
        checkMethod("strategy", r.getStrategy());
        if (r.getPoliciesCount() > MAX_POLICIES) {
            throw new InvalidRequest("policies", "more than " + MAX_POLICIES);
        }
        for (int i = 0; i < r.getPoliciesCount(); i++) {
            checkMethod("policies[" + i + "]", r.getPolicies(i));
        }
        if (!r.hasBudget()) {
            throw new InvalidRequest("budget", "required: max_tokens, max_verifier_calls and deadline_ms");
        }
        var budget = r.getBudget();
        if (budget.getMaxTokens() < 1 || budget.getMaxTokens() > Integer.MAX_VALUE) {
            throw new InvalidRequest("budget.max_tokens", "must be in [1, " + Integer.MAX_VALUE + "]");
        }
        if (budget.getMaxVerifierCalls() < 0) {
            throw new InvalidRequest("budget.max_verifier_calls", "must be in [0, " + Integer.MAX_VALUE + "]");
        }
        long deadlineMs = Integer.toUnsignedLong(budget.getDeadlineMs());
        if (deadlineMs < 1 || deadlineMs > maxDeadline.toMillis()) {
            throw new InvalidRequest("budget.deadline_ms", "must be in [1, " + maxDeadline.toMillis() + "]");
        }
        Aggregation aggregation;
        try {
            aggregation = Aggregation.parse(r.getAggregation());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("aggregation", e.getMessage());
        }
        String verifier = r.getVerifier().trim(); // empty: the configured default verifier
        if (verifier.length() > MAX_NAME) {
            throw new InvalidRequest("verifier", "unknown verifier");
        }
        String task = r.getTask().trim(); // empty: the default task
        if (task.length() > MAX_NAME) {
            throw new InvalidRequest("task", "unknown task (longer than " + MAX_NAME + " characters; see ListStrategies)");
        }
        return new SearchRequest(r.getRequestId(), r.getQuestion(),
                MethodSpec.of(r.getStrategy().getName().trim(), r.getStrategy().getParamsMap()),
                EventMessages.specs(r.getPoliciesList()),
                new Budget(budget.getMaxTokens(), budget.getMaxVerifierCalls(), Duration.ofMillis(deadlineMs)),
                sampling(r), verifier, aggregation, task);
    }

    /** No unpaired UTF-16 surrogate (what invalid UTF-8 decodes to in JSON escapes) and no NUL. */
    static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static void checkMethod(String field, io.ttsmesh.proto.events.Method method) {
        if (method.getName().length() > MAX_NAME) {
            throw new InvalidRequest(field + ".name", "unknown (longer than " + MAX_NAME + " characters)");
        }
        if (method.getParamsCount() > MAX_PARAMS) {
            throw new InvalidRequest(field + ".params", "more than " + MAX_PARAMS + " parameters");
        }
        method.getParamsMap().forEach((k, v) -> {
            if (k.length() > MAX_NAME || v.length() > MAX_PARAM_CHARS) {
                throw new InvalidRequest(field + ".params", "parameter names or values too long");
            }
        });
    }

    private static SamplingParams sampling(SolveRequest r) {
        if (!r.hasSampling()) {
            return SamplingParams.defaults();
        }
        var s = r.getSampling();
        Float temperature = null;
        if (s.hasTemperature()) {
            if (!(s.getTemperature() >= 0 && s.getTemperature() <= 5)) {
                throw new InvalidRequest("sampling.temperature", "must be in [0, 5]");
            }
            temperature = s.getTemperature();
        }
        Float topP = null;
        if (s.hasTopP()) {
            if (!(s.getTopP() > 0 && s.getTopP() <= 1)) {
                throw new InvalidRequest("sampling.top_p", "must be in (0, 1]");
            }
            topP = s.getTopP();
        }
        Integer topK = null;
        if (s.hasTopK()) {
            if (s.getTopK() < 0) {
                throw new InvalidRequest("sampling.top_k", "must be in [0, " + Integer.MAX_VALUE + "]");
            }
            topK = s.getTopK();
        }
        Long seed = s.hasSeed() ? s.getSeed() : null;
        return new SamplingParams(temperature, topP, topK, seed, 0);
    }
}
