package io.ttsmesh.verifier.prm;

import io.ttsmesh.runtime.TextTokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * Formats a candidate per the {@link ScoringConvention}, tokenizes it and finds where its step scores are
 * read. The whole text is tokenized at once (tokenizers may merge across a step's edge), and the score
 * positions are the score-token occurrences after those of the question prefix: one per step, or the
 * candidate is rejected.
 */
public final class CandidateEncoder {

    private final ScoringConvention convention;
    private final TextTokenizer tokenizer;
    private final int scoreTokenId;
    private final int maxTokens;

    /** @param maxTokens longest candidate the model takes, in tokens */
    public CandidateEncoder(ScoringConvention convention, TextTokenizer tokenizer, int maxTokens) {
        this.convention = convention;
        this.tokenizer = tokenizer;
        this.scoreTokenId = convention.scoreTokenId(tokenizer);
        this.maxTokens = maxTokens;
    }

    public int scoreTokenId() {
        return scoreTokenId;
    }

    public int maxTokens() {
        return maxTokens;
    }

    /** The question's part of every candidate of a call, encoded once. */
    public QuestionPrefix question(String question) {
        String text = convention.questionPrefix(question);
        long[] ids = tokenizer.encode(text);
        int marks = 0;
        for (long id : ids) {
            if (id == scoreTokenId) {
                marks++;
            }
        }
        return new QuestionPrefix(text, ids, marks);
    }

    /**
     * @throws CandidateRejection when the candidate cannot be scored (message names the step or the length)
     */
    public EncodedCandidate encode(QuestionPrefix question, List<String> steps) {
        StringBuilder text = new StringBuilder(question.text());
        for (int j = 0; j < steps.size(); j++) {
            String step = steps.get(j);
            if (step.contains(convention.stepSeparator())) {
                throw new CandidateRejection("steps[" + j + "] contains the step separator "
                        + printable(convention.stepSeparator()) + " of convention " + convention.name());
            }
            text.append(step).append(convention.stepSeparator());
        }
        long[] ids = tokenizer.encode(text.toString());
        int[] marks = new int[steps.size()];
        int seen = 0;
        int found = 0;
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] == scoreTokenId) {
                if (seen++ >= question.scoreTokens()) {
                    if (found == marks.length) {
                        found++;
                        break;
                    }
                    marks[found++] = t;
                }
            }
        }
        if (found != steps.size()) {
            throw new CandidateRejection("the steps hold " + found + " score tokens " + printable(convention.scoreToken())
                    + " for " + steps.size() + " steps: a step contains the score token of convention "
                    + convention.name());
        }
        // Tokens after the last score position cannot change any score (the models are causal or
        // step-causal), so they are not run.
        int end = marks[marks.length - 1] + 1;
        if (end > maxTokens) {
            throw new CandidateRejection("the candidate has " + end + " tokens (question and separators included), "
                    + "more than the model's context of " + maxTokens);
        }
        long[] tokens = end == ids.length ? ids : Arrays.copyOf(ids, end);
        return new EncodedCandidate(tokens, marks, questionBoundary(question, tokens));
    }

    /**
     * Where a KV past of the question alone may end: right after the prefix, when the prefix tokenized
     * alone is a prefix of the candidate's tokens and ends with the score token (a step boundary), else -1.
     */
    private int questionBoundary(QuestionPrefix question, long[] tokens) {
        long[] q = question.tokens();
        if (q.length == 0 || q.length > tokens.length || q[q.length - 1] != scoreTokenId) {
            return -1;
        }
        return Arrays.equals(q, 0, q.length, tokens, 0, q.length) ? q.length : -1;
    }

    private static String printable(String s) {
        return "'" + s.replace("\n", "\\n").replace("\t", "\\t") + "'";
    }

    /** The question part of a call: its text, tokens and how many score tokens it holds itself. */
    public record QuestionPrefix(String text, long[] tokens, int scoreTokens) {
    }

    /** A candidate that cannot be scored; the message says why, naming the step when it is one. */
    public static final class CandidateRejection extends RuntimeException {
        public CandidateRejection(String message) {
            super(message, null, false, false);
        }
    }
}
