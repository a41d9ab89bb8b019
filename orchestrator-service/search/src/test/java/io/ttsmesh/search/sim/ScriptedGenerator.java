package io.ttsmesh.search.sim;

import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.GenerationException;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.GenerationSessions;
import io.ttsmesh.search.generation.ProbeResult;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.generation.SessionTotals;
import io.ttsmesh.search.generation.Step;
import io.ttsmesh.search.generation.StepEnd;
import io.ttsmesh.search.generation.TokenLogprob;
import io.ttsmesh.search.status.StatusCode;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A generator that plays scripts, for exact tests of policies. Branch {@code id} writes the lines
 * {@code script.apply(id)} one character per token (a fork goes on with its own script from the line its
 * parent had reached), then the end of sequence. Branches decode together token by token, so in one call the
 * shortest steps answer first. A line containing '?' is written with low confidence (top-1 probability 0.3,
 * else 0.95). A probe answers {@code " " + probe.apply(id, lines written)}; appending "A:" makes the branch
 * write {@code " " + probe} and end; appending any other text is remembered.
 */
public final class ScriptedGenerator implements GenerationSessions {

    public interface Probe {
        String answer(long branchId, int linesWritten);
    }

    private final Function<Long, List<String>> script;
    private final Probe probe;
    private Session last;

    public ScriptedGenerator(Function<Long, List<String>> script, Probe probe) {
        this.script = script;
        this.probe = probe;
    }

    public ScriptedGenerator(Function<Long, List<String>> script) {
        this(script, (id, lines) -> "0");
    }

    @Override
    public GenerationSession open(String requestId, Instant deadline) {
        last = new Session();
        return last;
    }

    public Session last() {
        return last;
    }

    /** The session, with what it saw. */
    public final class Session implements GenerationSession {
        private final Map<Long, Cursor> live = new LinkedHashMap<>();
        private final Set<Long> created = new HashSet<>();
        private final List<Extension> extensions = new ArrayList<>();
        private final List<List<Long>> extendIds = new ArrayList<>();
        private final List<String> appended = new ArrayList<>();
        private final List<Long> probed = new ArrayList<>();
        private SamplingParams sampling;
        private long generated;
        private long prefill;
        private boolean closed;
        private Set<Long> cancelledNow;

        public List<Extension> extensions() {
            return List.copyOf(extensions);
        }

        public List<List<Long>> extendIds() {
            return List.copyOf(extendIds);
        }

        public List<String> appended() {
            return List.copyOf(appended);
        }

        public List<Long> probed() {
            return List.copyOf(probed);
        }

        public long generatedTokens() {
            return generated;
        }

        public long prefillTokens() {
            return prefill;
        }

        public boolean closed() {
            return closed;
        }

        public SamplingParams sampling() {
            return sampling;
        }

        @Override
        public int start(String prompt, List<Long> branchIds, SamplingParams params) {
            sampling = params;
            for (long id : branchIds) {
                created.add(id);
                live.put(id, new Cursor(id, 0));
            }
            prefill += prompt.length();
            return prompt.length();
        }

        @Override
        public void extend(List<Long> branchIds, Extension extension, java.util.function.Consumer<Step> onStep) {
            extensions.add(extension);
            extendIds.add(List.copyOf(branchIds));
            if (extension.confidenceStop() != null && sampling.topLogprobs() < 1) {
                throw new GenerationException(StatusCode.INVALID_ARGUMENT, "confidence_stop needs top_logprobs");
            }
            List<Call> open = new ArrayList<>();
            for (long id : branchIds) {
                Cursor c = live.get(id);
                if (c == null) {
                    throw new GenerationException(StatusCode.FAILED_PRECONDITION, "branch " + id + " is not live");
                }
                open.add(new Call(c));
            }
            cancelledNow = new HashSet<>();
            try {
                while (!open.isEmpty()) {
                    List<Call> ended = new ArrayList<>();
                    for (Call call : open) {
                        if (!cancelledNow.contains(call.cursor.id)) {
                            call.tick(extension);
                            if (call.end != null) {
                                ended.add(call);
                            }
                        }
                    }
                    open.removeAll(ended);
                    for (Call call : ended) {
                        onStep.accept(call.step());
                    }
                    for (Call call : List.copyOf(open)) {
                        if (cancelledNow.contains(call.cursor.id)) {
                            call.end = StepEnd.CANCELLED;
                            open.remove(call);
                            onStep.accept(call.step());
                        }
                    }
                }
            } finally {
                cancelledNow = null;
            }
        }

        @Override
        public void fork(long parentId, List<Long> childIds, List<Long> childSeeds) {
            Cursor parent = live.get(parentId);
            if (parent == null) {
                throw new GenerationException(StatusCode.FAILED_PRECONDITION, "cannot fork " + parentId);
            }
            for (long id : childIds) {
                created.add(id);
                Cursor child = new Cursor(id, parent.line);
                child.window.addAll(parent.window);
                child.forcedAnswer = parent.forcedAnswer;
                live.put(id, child);
            }
        }

        @Override
        public void cancel(Collection<Long> branchIds) {
            for (long id : branchIds) {
                if (live.remove(id) != null && cancelledNow != null) {
                    cancelledNow.add(id);
                }
            }
        }

        @Override
        public ProbeResult probe(long branchId, String cue, int maxTokens, String stop) {
            Cursor c = live.get(branchId);
            if (c == null) {
                throw new GenerationException(StatusCode.FAILED_PRECONDITION, "cannot probe " + branchId);
            }
            probed.add(branchId);
            String text = " " + probe.answer(branchId, c.line);
            text = text.substring(0, Math.min(maxTokens, text.length()));
            generated += text.length();
            prefill += cue.length();
            return new ProbeResult(branchId, text, cue.length(), text.length());
        }

        @Override
        public int append(long branchId, String text) {
            Cursor c = live.get(branchId);
            if (c == null) {
                throw new GenerationException(StatusCode.FAILED_PRECONDITION, "cannot append to " + branchId);
            }
            appended.add(branchId + ":" + text);
            if (text.strip().endsWith("A:")) {
                c.forcedAnswer = " " + probe.answer(branchId, c.line);
            }
            prefill += text.length();
            return text.length();
        }

        @Override
        public SessionTotals close() {
            closed = true;
            int freed = live.size();
            live.clear();
            return new SessionTotals(freed, generated, prefill);
        }

        private final class Cursor {
            final long id;
            final List<String> lines;
            int line;
            int ch;
            String forcedAnswer;
            final ArrayDeque<Double> window = new ArrayDeque<>();

            Cursor(long id, int line) {
                this.id = id;
                this.lines = script.apply(id);
                this.line = line;
            }

            /** The next token, "" for the end of sequence. */
            String next(boolean suppressEos) {
                if (forcedAnswer != null) {
                    if (forcedAnswer.isEmpty()) {
                        return "";
                    }
                    String t = forcedAnswer.substring(0, 1);
                    forcedAnswer = forcedAnswer.substring(1);
                    return t;
                }
                if (line >= lines.size()) {
                    return suppressEos ? "\n" : "";
                }
                String l = lines.get(line);
                String full = line == lines.size() - 1 ? l : l + "\n";
                String t = full.substring(ch, ch + 1);
                if (++ch == full.length()) {
                    line++;
                    ch = 0;
                }
                return t;
            }

            boolean lowConfidenceLine() {
                return forcedAnswer == null && line < lines.size() && lines.get(line).contains("?");
            }
        }

        private final class Call {
            final Cursor cursor;
            final StringBuilder text = new StringBuilder();
            final List<TokenLogprob> logprobs = new ArrayList<>();
            int tokens;
            StepEnd end;

            Call(Cursor cursor) {
                this.cursor = cursor;
            }

            void tick(Extension ext) {
                boolean low = cursor.lowConfidenceLine();
                String token = cursor.next(ext.suppressEos());
                tokens++;
                generated++;
                double p = low ? 0.3 : 0.95;
                int k = sampling.topLogprobs();
                List<TokenLogprob.Alternative> top = new ArrayList<>();
                double confidence = 0;
                if (k > 0) {
                    top.add(new TokenLogprob.Alternative(0, token, (float) Math.log(p)));
                    confidence -= Math.log(p);
                    for (int i = 1; i < k; i++) {
                        double q = (1 - p) / (k - 1);
                        top.add(new TokenLogprob.Alternative(i, "?", (float) Math.log(q)));
                        confidence -= Math.log(q);
                    }
                    confidence /= k;
                }
                logprobs.add(new TokenLogprob(0, token, (float) Math.log(p), top));
                if (token.isEmpty()) {
                    end = StepEnd.EOS;
                    return;
                }
                text.append(token);
                if (ext.confidenceStop() != null) {
                    cursor.window.addLast(confidence);
                    if (cursor.window.size() > ext.confidenceStop().window()) {
                        cursor.window.removeFirst();
                    }
                    double mean = cursor.window.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                    if (cursor.window.size() == ext.confidenceStop().window() && mean < ext.confidenceStop().threshold()) {
                        end = StepEnd.LOW_CONFIDENCE;
                        return;
                    }
                }
                if (token.equals("\n") && !ext.toEnd()) {
                    end = StepEnd.DELIMITER;
                } else if (tokens >= ext.maxTokens()) {
                    end = StepEnd.QUOTA;
                }
            }

            Step step() {
                boolean finished = end == StepEnd.EOS || end == StepEnd.LOW_CONFIDENCE;
                if (finished) {
                    live.remove(cursor.id);
                }
                return new Step(cursor.id, text.toString(), tokens, List.copyOf(logprobs), Step.meanOf(logprobs), end,
                        finished, 0);
            }
        }
    }
}
