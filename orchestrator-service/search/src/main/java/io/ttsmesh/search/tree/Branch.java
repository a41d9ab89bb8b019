package io.ttsmesh.search.tree;

import io.ttsmesh.search.generation.StepEnd;
import io.ttsmesh.search.generation.TokenLogprob;
import io.ttsmesh.search.scoring.Aggregation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The search's view of one branch: the text generated so far (split into steps at the delimiter), the
 * verifier's step scores, and how the branch ended. A branch's text is one string; a step is what lies
 * between two delimiters, so a step cut by a token quota simply continues in the next extension (and its
 * score, if it had one, is dropped and asked again).
 *
 * <p>Only the {@link SearchTree} changes a branch; strategies and policies read it.
 */
public final class Branch {

    /** Where a branch is in its life. */
    public enum State {
        /** Can be extended. */
        LIVE,
        /** Ended by itself (EOS, context limit, confidence stop) or with an answer a policy accepted. */
        FINISHED,
        /** Dropped by a strategy or policy decision; does not vote. */
        PRUNED,
        /** Still unfinished when the search ended. */
        STOPPED
    }

    private final long id;
    private final long parentId;
    private final String delimiter;
    private final Aggregation aggregation;
    private final StringBuilder text;
    private final List<TokenLogprob> logprobs;
    /** Character offset in {@link #text} where each token of {@link #logprobs} starts. */
    private final List<Integer> tokenStarts;
    private final List<Float> scores;
    private int answerFrom;
    private long generatedTokens;
    private int length;
    private StepEnd lastEnd;
    private State state = State.LIVE;
    private String end;
    private String answer;
    private boolean votes = true;
    private int finishOrder = -1;
    private List<String> steps;

    Branch(long id, long parentId, String delimiter, Aggregation aggregation, int promptTokens) {
        this.id = id;
        this.parentId = parentId;
        this.delimiter = delimiter;
        this.aggregation = aggregation;
        this.text = new StringBuilder();
        this.logprobs = new ArrayList<>();
        this.tokenStarts = new ArrayList<>();
        this.scores = new ArrayList<>();
        this.length = promptTokens;
    }

    /** A live copy of this branch under a new id (a fork). */
    Branch forkAs(long childId) {
        Branch child = new Branch(childId, id, delimiter, aggregation, length);
        child.text.append(text);
        child.logprobs.addAll(logprobs);
        child.tokenStarts.addAll(tokenStarts);
        child.scores.addAll(scores);
        child.answerFrom = answerFrom;
        child.generatedTokens = generatedTokens;
        child.lastEnd = lastEnd;
        return child;
    }

    public long id() {
        return id;
    }

    /** The branch this one was forked from, or -1 for a branch started from the prompt. */
    public long parentId() {
        return parentId;
    }

    public State state() {
        return state;
    }

    public boolean isLive() {
        return state == State.LIVE;
    }

    public boolean isFinished() {
        return state == State.FINISHED;
    }

    public String text() {
        return text.toString();
    }

    /** The steps so far, without delimiters; the last one may be unfinished. */
    public List<String> steps() {
        if (steps == null) {
            List<String> split = new ArrayList<>();
            int from = 0;
            int at;
            while ((at = text.indexOf(delimiter, from)) >= 0) {
                split.add(text.substring(from, at));
                from = at + delimiter.length();
            }
            if (from < text.length()) {
                split.add(text.substring(from));
            }
            steps = Collections.unmodifiableList(split);
        }
        return steps;
    }

    public int stepCount() {
        return steps().size();
    }

    /** Whether the text ends at a step boundary (or is empty). */
    public boolean atStepBoundary() {
        return text.isEmpty() || text.lastIndexOf(delimiter) == text.length() - delimiter.length();
    }

    /** Scores of the first {@link #scoredSteps()} steps. */
    public float[] stepScores() {
        float[] out = new float[scores.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scores.get(i);
        }
        return out;
    }

    public int scoredSteps() {
        return scores.size();
    }

    /** Whether every step so far has a score. */
    public boolean fullyScored() {
        return !scores.isEmpty() && scores.size() == stepCount();
    }

    /** The newest step's score, NaN when the newest step has none. */
    public double lastScore() {
        return fullyScored() ? scores.get(scores.size() - 1) : Double.NaN;
    }

    /** The branch's score: its step scores aggregated (last | min | prod | mean); NaN when unscored. */
    public double score() {
        return scores.isEmpty() ? Double.NaN : aggregation.apply(stepScores());
    }

    /** Canonical final answer, or null when none was read (yet). */
    public String answer() {
        return answer;
    }

    /** Whether this branch takes part in answer selection (finished, not excluded by a policy). */
    public boolean votes() {
        return votes && state == State.FINISHED;
    }

    /** Tokens sampled along this branch's whole history (its ancestors' included). */
    public long generatedTokens() {
        return generatedTokens;
    }

    /** Tokens in the branch, prompt included (the generator's count). */
    public int length() {
        return length;
    }

    /** How the newest extension ended, or null before the first. */
    public StepEnd lastEnd() {
        return lastEnd;
    }

    /** Why the branch ended ("eos", "context_limit", "low_confidence", "stopped"), or null while live. */
    public String end() {
        return end;
    }

    /** 0 for the first branch to finish in the search, 1 for the next, ...; -1 if not finished. */
    public int finishOrder() {
        return finishOrder;
    }

    /** The generator's token log-probabilities of this branch, oldest first. */
    public List<TokenLogprob> logprobs() {
        return Collections.unmodifiableList(logprobs);
    }

    /**
     * The token log-probabilities of each step (for the "confidence" verifier), matched to the steps by
     * the tokens' text; approximate when the tokens' text differs from the decoded text.
     */
    public List<List<TokenLogprob>> stepLogprobs() {
        List<List<TokenLogprob>> perStep = new ArrayList<>();
        int tokenIndex = 0;
        int from = 0;
        for (String step : steps()) {
            int stepEnd = from + step.length() + delimiter.length();
            List<TokenLogprob> own = new ArrayList<>();
            while (tokenIndex < logprobs.size() && tokenStarts.get(tokenIndex) < stepEnd) {
                own.add(logprobs.get(tokenIndex++));
            }
            perStep.add(own);
            from = stepEnd;
        }
        return perStep;
    }

    /**
     * DeepConf's confidence of this branch: the lowest mean token confidence over any {@code window}
     * consecutive tokens (the mean over all tokens when there are fewer), where a token's confidence is
     * minus the mean log-probability of its top alternatives. NaN when the generator sent no alternatives.
     */
    public double lowestWindowConfidence(int window) {
        return Confidence.lowestWindowMean(logprobs, window);
    }

    /** Mean token confidence over the whole branch; NaN when unknown. */
    public double meanConfidence() {
        return Confidence.lowestWindowMean(logprobs, Integer.MAX_VALUE);
    }

    // ---- changed by the SearchTree only ----

    void apply(String newText, int tokens, List<TokenLogprob> newLogprobs, StepEnd stepEnd, int newLength) {
        int start = text.length();
        int offset = 0;
        for (TokenLogprob lp : newLogprobs) {
            tokenStarts.add(start + Math.min(offset, newText.length()));
            logprobs.add(lp);
            offset += lp.token() == null ? 0 : lp.token().length();
        }
        changeText(newText);
        generatedTokens += tokens;
        lastEnd = stepEnd;
        if (newLength > 0) {
            length = newLength;
        }
    }

    /** The prompt's length, learnt after the branch was created (a start answered late), unless a step told it. */
    void promptLength(int promptTokens) {
        if (length == 0) {
            length = promptTokens;
        }
    }

    void appendForced(String forced, int tokens, boolean revokesAnswer) {
        changeText(forced);
        length += tokens;
        if (revokesAnswer) {
            answerFrom = text.length();
        }
    }

    /** The text in which the final answer is read: all of it, or what follows a continuation cue that revoked an earlier answer. */
    public String answerText() {
        return text.substring(answerFrom);
    }

    void recordNewestScore(float score) {
        scores.add(score);
    }

    void recordScores(float[] all) {
        scores.clear();
        for (float s : all) {
            scores.add(s);
        }
    }

    void finish(String why, String finalAnswer, int order) {
        state = State.FINISHED;
        end = why;
        answer = finalAnswer;
        finishOrder = order;
    }

    void prune() {
        state = State.PRUNED;
        votes = false;
    }

    void stop(String partialAnswer) {
        state = State.STOPPED;
        end = "stopped";
        answer = partialAnswer;
    }

    void excludeFromVote() {
        votes = false;
    }

    private void changeText(String added) {
        if (added.isEmpty()) {
            return;
        }
        int stable = atStepBoundary() ? stepCount() : stepCount() - 1;
        while (scores.size() > stable) {
            scores.remove(scores.size() - 1);
        }
        text.append(added);
        steps = null;
    }

    @Override
    public String toString() {
        return "Branch[" + id + " " + state + ", " + stepCount() + " steps, score " + score() + ", answer " + answer + "]";
    }
}
