package io.ttsmesh.verifier.stack;

import io.ttsmesh.task.Task;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.verifier.ScoringMetrics;
import io.ttsmesh.verifier.StatusCode;
import io.ttsmesh.verifier.StepVerifier;
import io.ttsmesh.verifier.TaskQuestion;
import io.ttsmesh.verifier.TokenLogprob;
import io.ttsmesh.verifier.VerifierException;
import io.ttsmesh.verifier.VerifierInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Verifiers stacked left to right, written {@code a+b[+c]} ("rules+prm"): a step scores the product of its
 * members' scores.
 *
 * <p>Every member's score speaks for its step and all before it, so a step a member scores 0 scores 0 from
 * there on whatever the later members say, and they are not asked about it: with {@code lastStepOnly} a
 * candidate whose newest step the rules reject gets 0 without a PRM run; with every step wanted the later
 * members score only the prefix before the first 0 (a step's score depends on nothing after it), and the steps
 * from the 0 on score 0. The work saved is reported through {@link ScoringMetrics#stackSkipped}.
 *
 * <p>A stack with a one-score member ({@code orm}) answers one score per candidate: every member then scores
 * the newest step only. A member's error for a candidate is that candidate's answer; a member's call-level
 * failure fails the call.
 */
public final class VerifierStack implements StepVerifier {

    public static final String SEPARATOR = "+";
    public static final int MAX_MEMBERS = 3;

    private static final Pattern CANDIDATE_FIELD = Pattern.compile("^candidates\\[\\d+]");

    private final String name;
    private final List<StepVerifier> members;
    private final boolean oneScore;
    private final ScoringMetrics metrics;

    public VerifierStack(List<StepVerifier> members, ScoringMetrics metrics) {
        if (members.size() < 2 || members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("a stack has 2 to " + MAX_MEMBERS + " members, not " + members.size());
        }
        this.members = List.copyOf(members);
        this.name = String.join(SEPARATOR, this.members.stream().map(StepVerifier::name).toList());
        this.oneScore = this.members.stream().anyMatch(StepVerifier::oneScorePerCandidate);
        this.metrics = metrics;
    }

    /** True for a name written as a stack. */
    public static boolean isStack(String name) {
        return name.contains(SEPARATOR);
    }

    /**
     * The stack a name writes, its members found among {@code verifiers}.
     *
     * @throws VerifierException INVALID_ARGUMENT naming {@code verifier} for a malformed stack or an unknown member
     */
    public static VerifierStack parse(String name, Map<String, StepVerifier> verifiers, ScoringMetrics metrics) {
        String[] parts = name.split(Pattern.quote(SEPARATOR), -1);
        if (parts.length > MAX_MEMBERS) {
            throw invalid("verifier '" + name + "': a stack has at most " + MAX_MEMBERS + " members, " + parts.length
                    + " given");
        }
        List<StepVerifier> members = new ArrayList<>(parts.length);
        Set<String> seen = new HashSet<>();
        for (String part : parts) {
            String member = part.strip();
            if (member.isEmpty()) {
                throw invalid("verifier '" + name + "': a stack is verifier names joined by '+' (e.g. rules+prm); "
                        + "a member is empty");
            }
            StepVerifier v = verifiers.get(member);
            if (v == null) {
                throw invalid("verifier '" + name + "': member '" + member + "' is unknown; known: "
                        + String.join(", ", verifiers.keySet()));
            }
            if (!seen.add(member)) {
                throw invalid("verifier '" + name + "': member '" + member + "' is listed twice");
            }
            members.add(v);
        }
        return new VerifierStack(members, metrics);
    }

    private static VerifierException invalid(String message) {
        return new VerifierException(StatusCode.INVALID_ARGUMENT, message);
    }

    @Override
    public String name() {
        return name;
    }

    public List<StepVerifier> members() {
        return members;
    }

    @Override
    public VerifierInfo info() {
        List<VerifierInfo> infos = members.stream().map(StepVerifier::info).toList();
        Set<String> models = new LinkedHashSet<>();
        Set<String> tasks = new LinkedHashSet<>(infos.getFirst().tasks());
        int context = 0;
        int maxCandidates = Integer.MAX_VALUE;
        int maxSteps = Integer.MAX_VALUE;
        for (VerifierInfo i : infos) {
            if (!i.model().isEmpty()) {
                models.add(i.model());
            }
            tasks.retainAll(i.tasks());
            if (i.contextLength() > 0) {
                context = context == 0 ? i.contextLength() : Math.min(context, i.contextLength());
            }
            maxCandidates = Math.min(maxCandidates, i.maxCandidates());
            maxSteps = Math.min(maxSteps, i.maxSteps());
        }
        List<String> names = members.stream().map(StepVerifier::name).toList();
        String description = "stack: per step the product of " + String.join(", ", names) + " (left to right); a "
                + "step a member scores 0 scores 0 and the later members are not asked about it"
                + (oneScore ? "; one score per candidate" : "");
        return new VerifierInfo(name, description, String.join(",", models), context, maxCandidates, maxSteps,
                List.copyOf(tasks), names);
    }

    @Override
    public void checkTask(Task task) {
        for (StepVerifier m : members) {
            m.checkTask(task);
        }
    }

    @Override
    public boolean oneScorePerCandidate() {
        return oneScore;
    }

    @Override
    public CompletableFuture<List<CandidateResult>> score(TaskQuestion question, List<CandidateInput> candidates,
                                                          Instant deadline) {
        List<CandidateInput> inputs = oneScore
                ? candidates.stream().map(c -> new CandidateInput(c.id(), c.steps(), true, c.logprobs())).toList()
                : candidates;
        Products products = new Products(inputs);
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int k = 0; k < members.size(); k++) {
            StepVerifier member = members.get(k);
            boolean first = k == 0;
            chain = chain.thenCompose(ignored -> ask(member, first, question, products, deadline));
        }
        return chain.thenApply(ignored -> products.results());
    }

    /** Asks one member about what is still open: the candidates not failed, up to their first 0. */
    private CompletableFuture<Void> ask(StepVerifier member, boolean first, TaskQuestion question, Products p,
                                        Instant deadline) {
        List<Integer> asked = new ArrayList<>();
        List<CandidateInput> sub = new ArrayList<>();
        int skippedCandidates = 0;
        int skippedScores = 0;
        for (int i = 0; i < p.inputs.size(); i++) {
            if (p.failed[i] != null) {
                continue;
            }
            CandidateInput c = p.inputs.get(i);
            int open = p.open[i];
            int all = p.length(i);
            if (!first && open == 0) {
                skippedCandidates++;
                skippedScores += all;
                continue;
            }
            skippedScores += all - open;
            asked.add(i);
            sub.add(open == all ? c : prefix(c, open));
        }
        if (skippedScores > 0) {
            metrics.stackSkipped(member.name(), skippedCandidates, skippedScores);
        }
        if (sub.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return member.score(question, sub, deadline).thenAccept(results -> {
            for (int s = 0; s < results.size(); s++) {
                p.merge(asked.get(s), s, member.name(), results.get(s));
            }
        });
    }

    /** The first {@code steps} steps of a candidate that wants every step's score. */
    private static CandidateInput prefix(CandidateInput c, int steps) {
        List<List<TokenLogprob>> logprobs = c.logprobs().size() == c.steps().size()
                ? c.logprobs().subList(0, steps) : c.logprobs(); // a mismatch stays one, for the member to report
        return new CandidateInput(c.id(), c.steps().subList(0, steps), false, logprobs);
    }

    /** The running products of one call, per candidate. */
    private static final class Products {
        final List<CandidateInput> inputs;
        final float[][] scores;
        /** how many leading scores are still open (before the first 0) */
        final int[] open;
        final CandidateResult[] failed;

        Products(List<CandidateInput> inputs) {
            this.inputs = inputs;
            int n = inputs.size();
            this.scores = new float[n][];
            this.open = new int[n];
            this.failed = new CandidateResult[n];
            for (int i = 0; i < n; i++) {
                scores[i] = new float[length(i)];
                Arrays.fill(scores[i], 1f);
                open[i] = scores[i].length;
            }
        }

        int length(int i) {
            CandidateInput c = inputs.get(i);
            return c.lastStepOnly() ? Math.min(1, c.steps().size()) : c.steps().size();
        }

        void merge(int i, int subIndex, String member, CandidateResult r) {
            CandidateInput c = inputs.get(i);
            if (!r.ok()) {
                // the member numbered the candidate within its own (shorter) call: restore the caller's index
                String message = CANDIDATE_FIELD.matcher(r.error()).replaceFirst("candidates[" + i + "]");
                failed[i] = CandidateResult.rejected(c.id(), r.code(), message + " (stack member '" + member + "')");
                return;
            }
            if (r.scores().length != open[i]) {
                failed[i] = CandidateResult.rejected(c.id(), StatusCode.INTERNAL, "candidates[" + i + "] (id '"
                        + c.id() + "'): stack member '" + member + "' gave " + r.scores().length + " scores for "
                        + open[i] + " wanted");
                return;
            }
            float[] s = scores[i];
            int zeroAt = open[i];
            for (int j = 0; j < open[i]; j++) {
                s[j] *= r.scores()[j];
                if (s[j] == 0f && zeroAt == open[i]) {
                    zeroAt = j;
                }
            }
            open[i] = zeroAt;
        }

        List<CandidateResult> results() {
            List<CandidateResult> out = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                if (failed[i] != null) {
                    out.add(failed[i]);
                    continue;
                }
                float[] s = scores[i];
                Arrays.fill(s, open[i], s.length, 0f); // a 0 is final for its step and every later one
                out.add(CandidateResult.scored(inputs.get(i).id(), s));
            }
            return out;
        }
    }
}
