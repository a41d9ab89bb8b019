package io.ttsmesh.search.sim;

import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.GenerationException;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.ProbeResult;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.generation.SessionTotals;
import io.ttsmesh.search.generation.Step;
import io.ttsmesh.search.generation.StepEnd;
import io.ttsmesh.search.generation.TokenLogprob;
import io.ttsmesh.search.status.StatusCode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/** One search's session on the {@link SimulatedGenerator}; checks the port's contract as it goes. */
public final class SimulatedSession implements GenerationSession {

    private static final String EOS = "";

    private final SimulatedGenerator generator;
    private final String requestId;
    private final Map<Long, SimBranch> live = new LinkedHashMap<>();
    private final Set<Long> everCreated = new HashSet<>();
    private String question;
    private SamplingParams sampling;
    private long generated;
    private long prefill;
    private boolean closed;
    private int extendCalls;
    private int maxLive;
    private final List<Integer> extendSizes = new ArrayList<>();
    private Set<Long> cancelledDuringExtend;

    SimulatedSession(SimulatedGenerator generator, String requestId) {
        this.generator = generator;
        this.requestId = requestId;
    }

    // ---------------------------------------------------------------- observations for tests

    public long generatedTokens() {
        return generated;
    }

    public long prefillTokens() {
        return prefill;
    }

    public boolean closed() {
        return closed;
    }

    public int liveBranches() {
        return live.size();
    }

    public int maxLiveBranches() {
        return maxLive;
    }

    public int extendCalls() {
        return extendCalls;
    }

    public List<Integer> extendSizes() {
        return List.copyOf(extendSizes);
    }

    public int branchesCreated() {
        return everCreated.size();
    }

    // ---------------------------------------------------------------- the port

    @Override
    public int start(String prompt, List<Long> branchIds, SamplingParams params) {
        call();
        if (!prompt.startsWith("Q: ") || !prompt.endsWith("\n")) {
            throw new GenerationException(StatusCode.INVALID_ARGUMENT, "unexpected prompt " + prompt);
        }
        question = prompt.substring(3, prompt.length() - 1);
        sampling = params;
        List<Arithmetic.Op> ops = Arithmetic.compile(question);
        for (long id : branchIds) {
            if (!everCreated.add(id)) {
                throw new GenerationException(StatusCode.INVALID_ARGUMENT, "branch id " + id + " used twice");
            }
            long seed = (params.seed() == null ? 0 : params.seed()) ^ (id * 0x9E3779B97F4A7C15L);
            live.put(id, new SimBranch(id, ops, new SplittableRandom(seed), prompt.length()));
        }
        prefill += prompt.length();
        maxLive = Math.max(maxLive, live.size());
        return prompt.length();
    }

    @Override
    public void extend(List<Long> branchIds, Extension extension, Consumer<Step> onStep) {
        call();
        extendCalls++;
        extendSizes.add(branchIds.size());
        if (extension.maxTokens() < 1) {
            throw new GenerationException(StatusCode.INVALID_ARGUMENT, "max_tokens must be at least 1");
        }
        if (extension.confidenceStop() != null && sampling.topLogprobs() < 1) {
            throw new GenerationException(StatusCode.INVALID_ARGUMENT, "confidence_stop needs top_logprobs >= 1");
        }
        if (new HashSet<>(branchIds).size() != branchIds.size()) {
            throw new GenerationException(StatusCode.INVALID_ARGUMENT, "branch ids repeat in one extend");
        }
        List<Call> calls = new ArrayList<>();
        for (long id : branchIds) {
            SimBranch b = live.get(id);
            if (b == null) {
                throw new GenerationException(StatusCode.FAILED_PRECONDITION, "branch " + id + " is not live");
            }
            calls.add(new Call(b));
        }
        cancelledDuringExtend = new HashSet<>();
        try {
            List<Call> open = new ArrayList<>(calls);
            while (!open.isEmpty()) {
                List<Call> ended = new ArrayList<>();
                for (Call c : open) {
                    if (cancelledDuringExtend.contains(c.branch.id)) {
                        continue;
                    }
                    c.tick(extension);
                    if (c.end != null) {
                        ended.add(c);
                    }
                }
                open.removeAll(ended);
                for (Call c : ended) {
                    onStep.accept(c.step());
                }
                // branches cancelled while other steps were being answered answer CANCELLED now
                List<Call> cancelled = open.stream().filter(c -> cancelledDuringExtend.contains(c.branch.id)).toList();
                for (Call c : cancelled) {
                    c.end = StepEnd.CANCELLED;
                    open.remove(c);
                    onStep.accept(c.step());
                }
            }
        } finally {
            cancelledDuringExtend = null;
        }
    }

    @Override
    public void fork(long parentId, List<Long> childIds, List<Long> childSeeds) {
        call();
        SimBranch parent = live.get(parentId);
        if (parent == null) {
            throw new GenerationException(StatusCode.FAILED_PRECONDITION, "cannot fork " + parentId + ": not live");
        }
        for (long id : childIds) {
            if (!everCreated.add(id)) {
                throw new GenerationException(StatusCode.INVALID_ARGUMENT, "branch id " + id + " used twice");
            }
            live.put(id, parent.copy(id));
        }
        maxLive = Math.max(maxLive, live.size());
    }

    @Override
    public void cancel(Collection<Long> branchIds) {
        if (closed) {
            throw new GenerationException(StatusCode.FAILED_PRECONDITION, "session closed");
        }
        for (long id : branchIds) {
            if (live.remove(id) != null && cancelledDuringExtend != null) {
                cancelledDuringExtend.add(id);
            }
        }
    }

    @Override
    public ProbeResult probe(long branchId, String cue, int maxTokens, String stop) {
        call();
        SimBranch b = live.get(branchId);
        if (b == null) {
            throw new GenerationException(StatusCode.FAILED_PRECONDITION, "cannot probe " + branchId + ": not live");
        }
        String text = " " + b.currentValue();
        text = text.substring(0, Math.min(text.length(), maxTokens));
        generated += text.length();
        prefill += cue.length();
        return new ProbeResult(branchId, text, cue.length(), text.length());
    }

    @Override
    public int append(long branchId, String text) {
        call();
        SimBranch b = live.get(branchId);
        if (b == null) {
            throw new GenerationException(StatusCode.FAILED_PRECONDITION, "cannot append to " + branchId + ": not live");
        }
        b.forced(text);
        prefill += text.length();
        return text.length();
    }

    @Override
    public String generator() {
        return "simulated-0";
    }

    @Override
    public SessionTotals close() {
        if (closed) {
            throw new GenerationException(StatusCode.FAILED_PRECONDITION, "session closed twice");
        }
        closed = true;
        int freed = live.size();
        live.clear();
        return new SessionTotals(freed, generated, prefill);
    }

    private void call() {
        if (closed) {
            throw new GenerationException(StatusCode.FAILED_PRECONDITION, "session of " + requestId + " is closed");
        }
        generator.onCall.run();
    }

    // ---------------------------------------------------------------- the simulated model

    /** One extend of one branch in progress. */
    private final class Call {
        final SimBranch branch;
        final StringBuilder text = new StringBuilder();
        final List<TokenLogprob> logprobs = new ArrayList<>();
        int tokens;
        StepEnd end;

        Call(SimBranch branch) {
            this.branch = branch;
        }

        void tick(Extension ext) {
            String token = branch.next(ext.suppressEos());
            tokens++;
            generated++;
            branch.length++;
            double p = branch.lineWrong ? 0.45 : 0.92;
            logprobs.add(logprob(token, p));
            if (token.equals(EOS)) {
                end = StepEnd.EOS;
                return;
            }
            text.append(token);
            if (ext.confidenceStop() != null && branch.lowConfidence(ext.confidenceStop(), p)) {
                end = StepEnd.LOW_CONFIDENCE;
            } else if (branch.length >= generator.contextLength) {
                end = StepEnd.CONTEXT_LIMIT;
            } else if (token.equals("\n") && !ext.toEnd()) {
                end = StepEnd.DELIMITER;
            } else if (tokens >= ext.maxTokens()) {
                end = StepEnd.QUOTA;
            }
        }

        Step step() {
            boolean finished = end == StepEnd.EOS || end == StepEnd.CONTEXT_LIMIT || end == StepEnd.LOW_CONFIDENCE;
            if (finished) {
                live.remove(branch.id);
            }
            return new Step(branch.id, text.toString(), tokens, List.copyOf(logprobs), Step.meanOf(logprobs), end, finished,
                    branch.length);
        }

        private TokenLogprob logprob(String token, double p) {
            int k = sampling.topLogprobs();
            List<TokenLogprob.Alternative> top = new ArrayList<>();
            if (k > 0) {
                top.add(new TokenLogprob.Alternative(0, token, (float) Math.log(p)));
                for (int i = 1; i < k; i++) {
                    top.add(new TokenLogprob.Alternative(i, "?", (float) Math.log((1 - p) / (k - 1))));
                }
            }
            return new TokenLogprob(0, token, (float) Math.log(p), top);
        }
    }

    /** A branch's state: how far it got in the arithmetic and the rest of its current line. */
    private final class SimBranch {
        final long id;
        final List<Arithmetic.Op> ops;
        final long[] values;
        final SplittableRandom rng;
        final ArrayDeque<Double> window = new ArrayDeque<>();
        int nextOp;
        boolean answered;
        boolean lineWrong;
        StringBuilder pending = new StringBuilder();
        int length;
        double windowSum;

        SimBranch(long id, List<Arithmetic.Op> ops, SplittableRandom rng, int length) {
            this.id = id;
            this.ops = ops;
            this.values = new long[ops.size()];
            this.rng = rng;
            this.length = length;
        }

        SimBranch copy(long childId) {
            SimBranch c = new SimBranch(childId, ops, new SplittableRandom(rng.split().nextLong() ^ childId), length);
            System.arraycopy(values, 0, c.values, 0, values.length);
            c.nextOp = nextOp;
            c.answered = answered;
            c.lineWrong = lineWrong;
            c.pending = new StringBuilder(pending);
            c.window.addAll(window);
            c.windowSum = windowSum;
            return c;
        }

        long currentValue() {
            if (nextOp == 0) {
                Arithmetic.Op first = ops.get(0);
                return first.leftRef() >= 0 ? values[first.leftRef()] : first.leftLit();
            }
            return values[nextOp - 1];
        }

        String next(boolean suppressEos) {
            if (pending.isEmpty()) {
                plan();
            }
            if (pending.isEmpty()) {
                if (suppressEos) {
                    return "\n";
                }
                return EOS;
            }
            String c = pending.substring(0, 1);
            pending.deleteCharAt(0);
            return c;
        }

        private void plan() {
            if (nextOp < ops.size()) {
                Arithmetic.Op op = ops.get(nextOp);
                long l = op.leftRef() >= 0 ? values[op.leftRef()] : op.leftLit();
                long r = op.rightRef() >= 0 ? values[op.rightRef()] : op.rightLit();
                long v = Arithmetic.apply(l, op.op(), r);
                lineWrong = rng.nextDouble() < generator.errorRate;
                if (lineWrong) {
                    v += (rng.nextInt(9) + 1) * (rng.nextBoolean() ? 1 : -1);
                }
                values[nextOp++] = v;
                pending.append(Arithmetic.line(l, op.op(), r, v)).append('\n');
            } else if (!answered) {
                answered = true;
                lineWrong = false;
                pending.append("A: ").append(values[values.length - 1]);
            }
        }

        void forced(String text) {
            if (text.strip().endsWith("A:")) {
                pending.setLength(0);
                pending.append(' ').append(currentValue());
                answered = true;
            } else if (text.contains("Wait")) {
                answered = false;
                pending.setLength(0);
                pending.append('\n');
            }
            length += text.length();
        }

        boolean lowConfidence(Extension.ConfidenceStop stop, double p) {
            int k = sampling.topLogprobs();
            double confidence = -(Math.log(p) + (k - 1) * Math.log((1 - p) / Math.max(1, k - 1))) / k;
            window.addLast(confidence);
            windowSum += confidence;
            if (window.size() > stop.window()) {
                windowSum -= window.removeFirst();
            }
            return window.size() == stop.window() && windowSum / stop.window() < stop.threshold();
        }
    }
}
