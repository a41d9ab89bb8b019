package io.ttsmesh.generator.engine.scheduling;

import io.ttsmesh.generator.engine.Command;
import io.ttsmesh.generator.engine.StepEnd;
import io.ttsmesh.generator.engine.TokenLogprob;
import io.ttsmesh.generator.engine.sampling.ConfidenceWindow;
import io.ttsmesh.generator.engine.sampling.TokenChoice;
import io.ttsmesh.runtime.TextTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One branch generating under one command (an Extend's share of it, or a Probe on its copy): the
 * quota, the stop strings and the confidence stop, and what was generated so far. Decides after each
 * token whether the step ends and why.
 */
final class Generation {

    /** What the generation answers when it ends. */
    interface Answer {
        void stepEnded(Generation generation, StepEnd end);
    }

    final Branch branch;
    final long commandId;
    final Answer answer;
    final int maxTokens;
    final String[] stops;
    final boolean suppressEos;
    final Command.ConfidenceStop confidenceStop;
    final boolean streamTokens;
    final boolean recordLogprobs;
    final long reservedBytes;
    final ExtendCall call;
    int[] generated;
    int count;
    final List<TokenLogprob> logprobs;
    /** Sum of the generated tokens' log-probabilities, kept whether or not they are recorded one by one. */
    private double logprobSum;
    final StringBuilder text = new StringBuilder();
    private int searchedTo;
    private int streamedTokens;
    private int streamedChars;

    Generation(Branch branch, long commandId, Answer answer, int maxTokens, String[] stops, boolean suppressEos,
               Command.ConfidenceStop confidenceStop, boolean streamTokens, boolean recordLogprobs, long reservedBytes,
               ExtendCall call) {
        this.branch = branch;
        this.commandId = commandId;
        this.answer = answer;
        this.maxTokens = maxTokens;
        this.stops = stops;
        this.suppressEos = suppressEos;
        this.confidenceStop = confidenceStop;
        this.streamTokens = streamTokens;
        this.recordLogprobs = recordLogprobs;
        this.reservedBytes = reservedBytes;
        this.call = call;
        this.generated = new int[Math.min(maxTokens, 64)];
        this.logprobs = recordLogprobs ? new ArrayList<>() : List.of();
        if (confidenceStop != null) {
            branch.confidence = branch.confidence == null ? new ConfidenceWindow(confidenceStop.window())
                    : branch.confidence.resized(confidenceStop.window());
        }
    }

    /**
     * Takes the sampled token into the branch and says whether the step ends with it (null: go on).
     * Order when several apply: EOS, context limit, low confidence, delimiter, quota.
     */
    StepEnd accept(TokenChoice choice, boolean eos, int contextLength, TextTokenizer tokenizer) {
        int token = choice.token();
        if (count == generated.length) {
            generated = Arrays.copyOf(generated, Math.min(maxTokens, 2 * count));
        }
        generated[count++] = token;
        branch.append(token);
        branch.pending = true;
        branch.nextLogits = null;
        logprobSum += choice.logprob();
        if (recordLogprobs) {
            logprobs.add(logprob(choice, tokenizer));
        }
        if (branch.confidence != null) {
            branch.confidence.add(choice.confidence());
        }
        if (eos) {
            readText(true);
            return StepEnd.EOS;
        }
        boolean stopped = false;
        if (stops.length > 0 && branch.text.mayComplete(token, stops)) {
            readText(false);
            stopped = stopFound();
        }
        if (branch.length >= contextLength) {
            readText(true);
            return StepEnd.CONTEXT_LIMIT;
        }
        if (confidenceStop != null && branch.confidence.isFull()
                && branch.confidence.mean() < confidenceStop.threshold()) {
            readText(true);
            return StepEnd.LOW_CONFIDENCE;
        }
        if (stopped) {
            return StepEnd.DELIMITER;
        }
        if (count >= maxTokens) {
            readText(false);
            return StepEnd.QUOTA;
        }
        if (streamTokens) {
            readText(false);
        }
        return null;
    }

    /** Moves complete text of the branch's new tokens into this step's text (all of it when {@code force}). */
    void readText(boolean force) {
        text.append(branch.text.next(branch.tokens, branch.length, force));
    }

    private boolean stopFound() {
        for (String stop : stops) {
            int from = Math.max(0, searchedTo - stop.length() + 1);
            if (text.indexOf(stop, from) >= 0) {
                return true;
            }
        }
        searchedTo = text.length();
        return false;
    }

    /** Text and tokens not yet streamed, or null when there is nothing new. */
    StreamedPart unstreamed() {
        if (streamedTokens == count && streamedChars == text.length()) {
            return null;
        }
        String newText = text.substring(streamedChars);
        List<TokenLogprob> newTokens = recordLogprobs ? List.copyOf(logprobs.subList(streamedTokens, count)) : List.of();
        streamedTokens = count;
        streamedChars = text.length();
        return new StreamedPart(newText, newTokens);
    }

    record StreamedPart(String text, List<TokenLogprob> tokens) {
    }

    int[] generatedTokens() {
        return Arrays.copyOf(generated, count);
    }

    /** Mean log-probability of the tokens generated so far; 0 before the first. */
    float meanLogprob() {
        return count == 0 ? 0f : (float) (logprobSum / count);
    }

    private static TokenLogprob logprob(TokenChoice choice, TextTokenizer tokenizer) {
        int[] ids = choice.topIds();
        List<TokenLogprob.Alternative> top = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            top.add(new TokenLogprob.Alternative(ids[i], tokenizer.tokenText(ids[i]), choice.topLogprobs()[i]));
        }
        return new TokenLogprob(choice.token(), tokenizer.tokenText(choice.token()), choice.logprob(), top);
    }
}
