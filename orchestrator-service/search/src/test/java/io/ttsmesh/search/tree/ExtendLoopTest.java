package io.ttsmesh.search.tree;

import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.Step;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The extend-round machinery: how policies shape generator calls, and when their hooks run. */
class ExtendLoopTest {

    @Test
    void hooksRunThroughOneChainInTheRequestsOrder() {
        List<String> seen = new ArrayList<>();
        TreeFixture f = new TreeFixture(id -> List.of("A: 3"), new Recording("a", seen), new Recording("b", seen));
        List<Branch> b = f.tree.start(2);
        f.tree.step(b);
        assertThat(seen).containsExactly("a before", "b before",
                "a step 1", "b step 1", "a finish 1", "b finish 1",
                "a step 2", "b step 2", "a finish 2", "b finish 2",
                "a checkpoint 0 [] true", "b checkpoint 0 [] true");
        seen.clear();
        f.tree.score(b);
        assertThat(seen).containsExactly("a scores [1, 2]", "b scores [1, 2]");
    }

    @Test
    void checkpointTokensCutEveryCallAndMarkTheStepBoundary() {
        List<String> seen = new ArrayList<>();
        Recording everyThree = new Recording("p", seen) {
            @Override
            public int checkpointTokens() {
                return 3;
            }
        };
        TreeFixture f = new TreeFixture(id -> List.of("abcdefgh", "A: 1"), everyThree);
        f.tree.step(f.tree.start(1));
        assertThat(f.session().extensions()).extracting(Extension::maxTokens).containsExactly(3, 3, 3);
        assertThat(seen).filteredOn(s -> s.contains("checkpoint")).containsExactly(
                "p checkpoint 0 [1] false", "p checkpoint 1 [1] false", "p checkpoint 2 [1] true");
    }

    @Test
    void wavesAdmitWaitingBranchesInLaterCalls() {
        Policy oneAtATime = new Policy() {
            @Override
            public String name() {
                return "waves";
            }

            @Override
            public void beforeExtend(ExtendPlan plan) {
                if (plan.extension().toEnd()) {
                    plan.admitAtMost(1);
                }
            }
        };
        TreeFixture f = new TreeFixture(id -> List.of("x", "A: " + id), oneAtATime);
        List<Branch> b = f.tree.sample(f.tree.start(3));
        assertThat(f.session().extendIds()).containsExactly(List.of(1L), List.of(2L), List.of(3L));
        assertThat(b).extracting(Branch::answer).containsExactly("1", "2", "3");
    }

    @Test
    void suppressingTheEndForSomeBranchesSplitsTheCall() {
        Policy holdFirst = new Policy() {
            @Override
            public String name() {
                return "hold";
            }

            @Override
            public void beforeExtend(ExtendPlan plan) {
                plan.suppressEos(b -> b.id() == 1);
            }
        };
        TreeFixture f = new TreeFixture(id -> List.of("A: 3"), holdFirst);
        List<Branch> b = f.tree.start(2);
        f.tree.step(b);
        assertThat(f.session().extendIds()).containsExactly(List.of(2L), List.of(1L));
        assertThat(f.session().extensions()).extracting(Extension::suppressEos).containsExactly(false, true);
        assertThat(b.get(0).isLive()).isTrue();
        assertThat(b.get(1).isFinished()).isTrue();
    }

    @Test
    void aFirstFinishRoundCancelsTheBranchesStillGenerating() {
        TreeFixture f = new TreeFixture(id -> id == 2 ? List.of("A: 2") : List.of("a long way round", "A: " + id));
        List<Branch> b = f.tree.sampleUntil(f.tree.start(3), x -> x.answer() != null, "first_finish");
        assertThat(b).extracting(Branch::state).containsExactly(Branch.State.PRUNED, Branch.State.FINISHED, Branch.State.PRUNED);
        assertThat(f.pruned()).containsExactly("1 first_finish: another branch finished first",
                "3 first_finish: another branch finished first");
    }

    @Test
    void aStepExpansionDrawsCandidatesInOneGeneratorAndOneVerifierCall() {
        Policy drawTwo = new Policy() {
            @Override
            public String name() {
                return "draw";
            }

            @Override
            public StepExpansion stepExpansion() {
                return (draws, branches) -> {
                    Map<Branch, List<Branch>> drawn = draws.draw(branches, 2);
                    List<Branch> kept = new ArrayList<>();
                    drawn.forEach((parent, candidates) -> {
                        kept.add(candidates.get(0));
                        draws.prune(candidates.subList(1, candidates.size()), "second candidate");
                        draws.prune(List.of(parent), "continues as " + candidates.get(0).id());
                    });
                    return kept;
                };
            }
        };
        TreeFixture f = new TreeFixture(id -> List.of("good", "A: 3"), drawTwo);
        List<Branch> next = f.tree.step(f.tree.start(1));
        assertThat(next).extracting(Branch::id).containsExactly(2L);
        assertThat(f.session().extendIds()).containsExactly(List.of(2L, 3L));
        assertThat(f.scorer.candidates()).isEqualTo(2);
        assertThat(f.pruned()).containsExactly("3 draw: second candidate", "1 draw: continues as 2");
    }

    /** Writes down every hook call it gets. */
    private static class Recording implements Policy {
        private final String name;
        private final List<String> seen;

        Recording(String name, List<String> seen) {
            this.name = name;
            this.seen = seen;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void beforeExtend(ExtendPlan plan) {
            seen.add(name + " before");
        }

        @Override
        public void afterStep(Decisions search, Branch branch, Step step) {
            seen.add(name + " step " + branch.id());
        }

        @Override
        public void onFinish(Decisions search, Branch branch) {
            seen.add(name + " finish " + branch.id());
        }

        @Override
        public void atCheckpoint(CheckpointActions search, Checkpoint checkpoint) {
            seen.add(name + " checkpoint " + checkpoint.index() + " " + checkpoint.branches().stream().map(Branch::id).toList()
                    + " " + checkpoint.stepBoundary());
        }

        @Override
        public void afterScores(Decisions search, List<Branch> scored) {
            seen.add(name + " scores " + scored.stream().map(Branch::id).toList());
        }
    }
}
