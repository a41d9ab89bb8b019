package io.ttsmesh.search.tree;

import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.budget.BudgetExhausted;
import io.ttsmesh.search.budget.Resource;
import io.ttsmesh.search.events.SearchEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tree's own operations, as strategies use them, over a scripted generator (one character per token). */
class SearchTreeTest {

    @Test
    void startsStepsAndForksWithOneGeneratorCallEach() {
        TreeFixture f = new TreeFixture(id -> List.of("one", "two", "A: 3"));
        List<Branch> started = f.tree.start(2);
        assertThat(started).extracting(Branch::id).containsExactly(1L, 2L);

        assertThat(f.tree.step(started)).isEqualTo(started);
        assertThat(f.session().extendIds()).containsExactly(List.of(1L, 2L));
        assertThat(started).allSatisfy(b -> assertThat(b.steps()).containsExactly("one"));

        Branch parent = started.get(0);
        List<Branch> children = f.tree.fork(parent, 2);
        assertThat(children).extracting(Branch::id).containsExactly(3L, 4L);
        assertThat(children).allSatisfy(c -> {
            assertThat(c.parentId()).isEqualTo(1L);
            assertThat(c.text()).isEqualTo(parent.text());
        });
        assertThat(parent.isLive()).isTrue();
        assertThat(f.events.of(SearchEvent.BranchForked.class)).containsExactly(
                new SearchEvent.BranchForked(1L, List.of(3L, 4L), 1));

        f.tree.step(children);
        assertThat(f.session().extendIds()).last().isEqualTo(List.of(3L, 4L));
        assertThat(children).allSatisfy(c -> assertThat(c.steps()).containsExactly("one", "two"));
        assertThat(parent.steps()).containsExactly("one");
        assertThat(f.tree.branches()).hasSize(4);
        assertThat(f.tree.spend().generatedTokens()).isEqualTo(f.session().generatedTokens()).isEqualTo(4 + 4 + 4 + 4);
    }

    @Test
    void pruneCancelsLiveBranchesAndDropsFinishedOnesFromTheVoteOnce() {
        TreeFixture f = new TreeFixture(id -> List.of("one", "A: 3"));
        List<Branch> live = f.tree.start(3);
        f.tree.step(live);
        f.tree.prune(List.of(live.get(1)), "test", "not wanted");
        assertThat(live.get(1).state()).isEqualTo(Branch.State.PRUNED);
        assertThatThrownBy(() -> f.tree.fork(live.get(1), 1)).isInstanceOf(IllegalStateException.class);

        f.tree.sample(live);
        assertThat(f.session().extendIds()).last().isEqualTo(List.of(1L, 3L));
        assertThat(f.tree.voters()).extracting(Branch::id).containsExactly(1L, 3L);
        assertThat(f.tree.voters()).extracting(Branch::answer).containsExactly("3", "3");

        f.tree.prune(List.of(live.get(0)), "test", "dropped from the vote");
        f.tree.prune(List.of(live.get(0), live.get(1)), "test", "again");
        assertThat(f.tree.voters()).extracting(Branch::id).containsExactly(3L);
        assertThat(f.pruned()).containsExactly("2 test: not wanted", "1 test: dropped from the vote");
    }

    @Test
    void scoresTheNewestStepsOnceAndWithinTheVerifierBudget() {
        TreeFixture f = new TreeFixture(id -> List.of("good step", "bad step", "third", "A: 3"),
                new Budget(10_000, 2, Duration.ofMinutes(1)));
        List<Branch> b = f.tree.start(1);
        f.tree.step(b);
        f.tree.score(b);
        f.tree.score(b);
        assertThat(f.scorer.candidates()).isEqualTo(1);
        assertThat(b.get(0).lastScore()).isEqualTo(0.9, org.assertj.core.data.Offset.offset(1e-6));

        f.tree.step(b);
        f.tree.score(b);
        assertThat(f.scorer.candidates()).isEqualTo(2);
        assertThat(b.get(0).stepScores()).containsExactly(0.9f, 0.2f);

        f.tree.step(b);
        assertThatThrownBy(() -> f.tree.expectScoring(1)).isInstanceOfSatisfying(BudgetExhausted.class,
                e -> assertThat(e.resource()).isEqualTo(Resource.VERIFIER_CALLS));
        assertThat(f.tree.scoreIfAffordable(b)).isFalse();
        assertThatThrownBy(() -> f.tree.score(b)).isInstanceOf(BudgetExhausted.class);
        assertThat(f.scorer.candidates()).isEqualTo(2);
    }

    @Test
    void theTokenBudgetStopsGenerationWithoutOverspending() {
        TreeFixture f = new TreeFixture(id -> List.of("abcdefghij", "A: 1"), new Budget(5, 10, Duration.ofMinutes(1)));
        List<Branch> b = f.tree.start(1);
        assertThatThrownBy(() -> f.tree.step(b)).isInstanceOfSatisfying(BudgetExhausted.class,
                e -> assertThat(e.resource()).isEqualTo(Resource.TOKENS));
        assertThat(f.tree.spend().generatedTokens()).isEqualTo(5);
        assertThat(f.session().generatedTokens()).isEqualTo(5);
        assertThat(b.get(0).text()).isEqualTo("abcde");
    }

    @Test
    void thePolicyThatExitsFirstCancelsWhatIsGeneratingAndUnwindsTheStrategy() {
        TreeFixture f = new TreeFixture(id -> id == 1 ? List.of("A: 3") : List.of("a much longer line", "A: 4"),
                new Exiter("first"), new Exiter("second"));
        List<Branch> b = f.tree.start(2);
        assertThatThrownBy(() -> f.tree.sample(b)).isInstanceOfSatisfying(SearchStopped.EarlyExit.class,
                e -> assertThat(e.request()).isEqualTo(new SearchStopped.ExitRequest("first", "an answer is enough", "3")));
        assertThat(f.tree.exitRequest().policy()).isEqualTo("first");
        assertThat(f.pruned()).containsExactly("2 first: the search exited: an answer is enough");
        assertThat(f.events.of(SearchEvent.PolicyDecision.class)).extracting(SearchEvent.PolicyDecision::policy)
                .containsExactly("first");
        assertThatThrownBy(() -> f.tree.start(1)).isInstanceOf(SearchStopped.EarlyExit.class);
    }

    @Test
    void excludingALiveBranchFromTheVoteIsRefused() {
        Policy excluder = new Policy() {
            @Override
            public String name() {
                return "excluder";
            }

            @Override
            public void atCheckpoint(CheckpointActions search, Checkpoint checkpoint) {
                search.exclude(checkpoint.branches(), "not finished");
            }
        };
        TreeFixture f = new TreeFixture(id -> List.of("one", "A: 3"), excluder);
        List<Branch> b = f.tree.start(1);
        assertThatThrownBy(() -> f.tree.step(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has not finished");
        assertThat(f.pruned()).isEmpty();
    }

    /** Exits with the answer of the first branch that finishes. */
    private record Exiter(String name) implements Policy {
        @Override
        public void onFinish(Decisions search, Branch branch) {
            search.exit("an answer is enough", branch.answer(), Map.of());
        }
    }
}
