package io.ttsmesh.search.strategy;

import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.sim.Arithmetic;
import io.ttsmesh.search.sim.Recorded;
import io.ttsmesh.search.sim.Requests;
import io.ttsmesh.search.sim.SimulatedGenerator;
import io.ttsmesh.search.sim.SimulatedPrm;
import io.ttsmesh.search.sim.SimulatedSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class StrategiesTest {

    private final SimulatedGenerator generator = new SimulatedGenerator(0.25);
    private final SimulatedPrm prm = SimulatedPrm.standard();
    private final SearchRunner runner = new SearchRunner(generator, prm, SearchSettings.defaults());

    private SearchResult run(String question, String strategy, Map<String, String> params, Recorded events) {
        SearchResult r = runner.run(Requests.of(question, strategy, params, Requests.generous()), events);
        events.assertWellFormed(r);
        SimulatedSession session = generator.lastSession();
        assertThat(session.closed()).isTrue();
        assertThat(r.spend().generatedTokens()).isEqualTo(session.generatedTokens());
        assertThat(r.spend().prefillTokens()).isEqualTo(session.prefillTokens());
        assertThat((long) r.spend().verifierCalls()).isEqualTo(prm.candidates());
        assertThat(r.spend().branches()).isEqualTo(session.branchesCreated());
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"best_of_n", "weighted_best_of_n", "self_consistency", "beam_search", "dvts",
            "particle_filter", "first_finish", "best_first", "mcts"})
    void everyStrategyRunsToItsEndAndAnswers(String strategy) {
        Recorded events = new Recorded();
        SearchResult r = run("(61-19)*2+5*3", strategy, Map.of(), events);
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.answer()).isNotNull();
        assertThat(r.steps()).last().isEqualTo("A: " + r.answer());
        assertThat(r.strategy().name()).isEqualTo(strategy);
        assertThat(r.answers()).extracting(SearchResult.AnswerTally::answer).contains(r.answer());
        // every branch ended in an event: finished, pruned or stopped
        Set<Long> started = events.of(SearchEvent.BranchesStarted.class).stream().flatMap(b -> b.branchIds().stream())
                .collect(Collectors.toSet());
        events.of(SearchEvent.BranchForked.class).forEach(f -> started.addAll(f.childIds()));
        Set<Long> ended = events.of(SearchEvent.BranchFinished.class).stream().map(SearchEvent.BranchFinished::branchId)
                .collect(Collectors.toSet());
        events.of(SearchEvent.BranchPruned.class).forEach(p -> ended.add(p.branchId()));
        assertThat(ended).containsAll(started);
    }

    @Test
    void dvtsKeepsOneHeadPerSubtreeAndExpandsWidthCandidates() {
        Recorded events = new Recorded();
        run("(4+9)*5-(12-3)*2", "dvts", Map.of("n", "8", "width", "4"), events);
        assertThat(events.of(SearchEvent.BranchForked.class)).allMatch(f -> f.childIds().size() == 3);
        List<Integer> sizes = generator.lastSession().extendSizes();
        assertThat(sizes.get(0)).isEqualTo(8);
        assertThat(sizes).allMatch(s -> s % 4 == 0 && s <= 8);
        assertThat(prm.awaitedCalls()).isEqualTo(sizes.size());
    }

    @Test
    void particleFilterResamplesNParticlesAfterEveryStep() {
        Recorded events = new Recorded();
        SearchResult r = run("(4+9)*5-(12-3)*2", "particle_filter", Map.of("n", "8"), events);
        assertThat(generator.lastSession().maxLiveBranches()).isLessThanOrEqualTo(8);
        assertThat(events.of(SearchEvent.BranchPruned.class)).allMatch(p -> p.by().equals("particle_filter"));
        assertThat(r.answer()).isEqualTo("47");
    }

    @Test
    void particleFilterAnnealsWhenTheWeightsCollapse() {
        Recorded events = new Recorded();
        run("(4+9)*5-(12-3)*2", "particle_filter",
                Map.of("n", "8", "anneal", "true", "entropy_threshold", "0.99", "tau", "0.2"), events);
        assertThat(events.of(SearchEvent.PolicyDecision.class)).anyMatch(d -> d.action().equals("anneal")
                && d.values().get("tau") > 0.2);
    }

    @Test
    void firstFinishCancelsTheOthersWhenTheFirstAnswers() {
        Recorded events = new Recorded();
        SearchResult r = run("(4+9)*5-(12-3)*2", "first_finish", Map.of("n", "6"), events);
        assertThat(events.of(SearchEvent.BranchFinished.class).stream().filter(f -> !f.end().equals("stopped")))
                .hasSizeLessThanOrEqualTo(2);
        assertThat(events.of(SearchEvent.BranchPruned.class)).isNotEmpty().allMatch(p -> p.by().equals("first_finish"));
        // the cancelled samples stopped mid-way: fewer tokens than 6 full samples
        int full = String.join("\n", Arithmetic.goldSteps("(4+9)*5-(12-3)*2")).length() + 1;
        assertThat(r.spend().generatedTokens()).isLessThan(6L * full);
        assertThat(generator.lastSession().extendCalls()).isEqualTo(1);
    }

    @Test
    void bestFirstStopsWhenAFinishedSolutionTopsTheQueue() {
        Recorded events = new Recorded();
        SearchResult r = run("(4+9)*5-(12-3)*2", "best_first", Map.of("k", "3", "parallel", "1"), events);
        assertThat(events.of(SearchEvent.PolicyDecision.class)).anyMatch(d -> d.policy().equals("best_first")
                && d.action().equals("choose") && d.branchIds().equals(List.of(r.branchId())));
        assertThat(generator.lastSession().extendSizes()).allMatch(s -> s == 3);
    }

    @Test
    void bestFirstExpandsItsParallelBestTogether() {
        Map<String, String> params = Map.of("k", "3", "max_expansions", "12", "length_cost", "0.2");
        Calls oneAtATime = calls("best_first", with(params, "parallel", "1"));
        Calls twoAtATime = calls("best_first", with(params, "parallel", "2"));
        // two nodes of k children each per round, one node when the next in the queue is a finished solution; a
        // single branch when the expansions ran out and the best partial solution is completed
        assertThat(twoAtATime.extendSizes()).allMatch(s -> s == 1 || s == 3 || s == 6).contains(6);
        assertThat(oneAtATime.extendSizes()).allMatch(s -> s == 1 || s == 3);
        assertThat(twoAtATime.extendSizes().size()).isLessThan(oneAtATime.extendSizes().size());
        assertThat(twoAtATime.verifierCalls()).isLessThan(oneAtATime.verifierCalls());
    }

    /** What one search asked of a fresh simulated generator and PRM (the verifier calls it waited for). */
    private record Calls(List<Integer> extendSizes, long verifierCalls) {
    }

    private static Calls calls(String strategy, Map<String, String> params) {
        SimulatedGenerator gen = new SimulatedGenerator(0.25);
        SimulatedPrm scorer = SimulatedPrm.standard();
        SearchResult r = new SearchRunner(gen, scorer, SearchSettings.defaults())
                .run(Requests.of("(4+9)*5-(12-3)*2", strategy, params, Requests.generous()), e -> { });
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        return new Calls(gen.lastSession().extendSizes(), scorer.awaitedCalls());
    }

    @Test
    void bestFirstBoundsItsQueue() {
        Recorded events = new Recorded();
        run("(4+9)*5-(12-3)*2", "best_first", Map.of("k", "4", "max_queue", "5", "parallel", "2"), events);
        // the queue, and the children of the two nodes expanded this round
        assertThat(generator.lastSession().maxLiveBranches()).isLessThanOrEqualTo(5 + 2 * 4);
    }

    @Test
    void mctsExpandsKChildrenPerIteration() {
        Recorded events = new Recorded();
        SearchResult r = run("(4+9)*5-(12-3)*2", "mcts", Map.of("k", "3", "iterations", "12", "parallel", "1"), events);
        List<Integer> sizes = generator.lastSession().extendSizes();
        // 12 expansions of 3 children, then (when the most visited path has not finished) one final rollout
        assertThat(sizes.subList(0, 12)).allMatch(s -> s == 3);
        assertThat(sizes).hasSizeBetween(12, 13);
        if (sizes.size() == 13) {
            assertThat(sizes.get(12)).isEqualTo(1);
        }
        assertThat(r.answer()).isNotNull();
    }

    @Test
    void mctsExpandsItsParallelLeavesInOneCallEach() {
        Recorded events = new Recorded();
        SearchResult r = run("(4+9)*5-(12-3)*2", "mcts", Map.of("k", "3", "iterations", "12", "parallel", "3"), events);
        List<Integer> sizes = generator.lastSession().extendSizes();
        // the root alone, then up to three leaves of 3 children per call: the 11 further expansions take 4 to 11
        // calls depending on how many selections end in a finished solution; then maybe one final rollout
        assertThat(sizes.get(0)).isEqualTo(3);
        assertThat(sizes).contains(9).allMatch(s -> s == 1 || s % 3 == 0);
        int expansions = sizes.stream().filter(s -> s % 3 == 0).mapToInt(s -> s / 3).sum();
        assertThat(expansions).isLessThanOrEqualTo(12);
        assertThat(sizes.size()).isLessThan(12);
        assertThat(r.answer()).isNotNull();
    }

    private static Map<String, String> with(Map<String, String> params, String key, String value) {
        Map<String, String> out = new java.util.HashMap<>(params);
        out.put(key, value);
        return out;
    }

    /** Averaged over questions and seeds: verifier-guided search answers better than one sample. */
    @Test
    void searchBeatsSampling() {
        double single = accuracy("self_consistency", Map.of("n", "1"));
        double majority = accuracy("self_consistency", Map.of("n", "8"));
        double bestOfN = accuracy("best_of_n", Map.of("n", "8"));
        double beam = accuracy("beam_search", Map.of("n", "8", "width", "4"));
        double dvts = accuracy("dvts", Map.of("n", "8", "width", "2"));
        double particles = accuracy("particle_filter", Map.of("n", "8"));
        double bestFirst = accuracy("best_first", Map.of("k", "4"));
        double mcts = accuracy("mcts", Map.of("k", "4", "iterations", "16"));
        System.out.printf("accuracy: single %.2f, majority@8 %.2f, best-of-8 %.2f, beam %.2f, dvts %.2f, particles %.2f, "
                + "best-first %.2f, mcts %.2f%n", single, majority, bestOfN, beam, dvts, particles, bestFirst, mcts);
        assertThat(bestOfN).isGreaterThan(single + 0.2);
        assertThat(beam).isGreaterThan(single + 0.2);
        assertThat(dvts).isGreaterThan(single + 0.2);
        assertThat(particles).isGreaterThan(single + 0.2);
        assertThat(bestFirst).isGreaterThan(single + 0.2);
        assertThat(mcts).isGreaterThan(single + 0.2);
    }

    private double accuracy(String strategy, Map<String, String> params) {
        int right = 0;
        int total = 0;
        for (String q : Requests.QUESTIONS) {
            for (long seed = 1; seed <= 4; seed++) {
                SearchResult r = runner.run(Requests.of(q, strategy, params, Requests.generous(), seed), e -> { });
                total++;
                if (Long.toString(Arithmetic.answer(q)).equals(r.answer())) {
                    right++;
                }
            }
        }
        return (double) right / total;
    }
}
