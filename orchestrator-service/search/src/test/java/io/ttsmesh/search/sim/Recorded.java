package io.ttsmesh.search.sim;

import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.budget.Spend;
import io.ttsmesh.search.events.SearchEvent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The events of one search, with the checks every search must pass. */
public final class Recorded implements Consumer<SearchEvent> {

    private final List<SearchEvent> events = new ArrayList<>();

    @Override
    public void accept(SearchEvent e) {
        events.add(e);
    }

    public List<SearchEvent> events() {
        return List.copyOf(events);
    }

    public <T extends SearchEvent.Payload> List<T> of(Class<T> type) {
        return events.stream().map(SearchEvent::payload).filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * Numbered 1..n without gaps, Started first and Finished(result) last, spend never decreasing, and
     * every event's spend within the budget.
     */
    public void assertWellFormed(SearchResult result) {
        assertThat(events).isNotEmpty();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).sequence()).isEqualTo(i + 1);
            assertThat(events.get(i).requestId()).isEqualTo(result.requestId());
        }
        assertThat(events.get(0).payload()).isInstanceOf(SearchEvent.Started.class);
        assertThat(events.get(events.size() - 1).payload()).isEqualTo(new SearchEvent.Finished(result));
        assertThat(events.stream().filter(e -> e.payload() instanceof SearchEvent.Finished)).hasSize(1);
        Spend previous = Spend.NONE;
        for (SearchEvent e : events) {
            Spend s = e.spend();
            assertThat(s.generatedTokens()).isGreaterThanOrEqualTo(previous.generatedTokens());
            assertThat(s.prefillTokens()).isGreaterThanOrEqualTo(previous.prefillTokens());
            assertThat(s.verifierCalls()).isGreaterThanOrEqualTo(previous.verifierCalls());
            assertThat(s.branches()).isGreaterThanOrEqualTo(previous.branches());
            assertThat(s.generatedTokens()).isLessThanOrEqualTo(result.budget().maxTokens());
            assertThat(s.verifierCalls()).isLessThanOrEqualTo(result.budget().maxVerifierCalls());
            previous = s;
        }
        assertThat(result.spend().generatedTokens()).isEqualTo(previous.generatedTokens());
        assertBranchesStartedBeforeUse();
    }

    /** No event speaks of a branch before its BranchesStarted or BranchForked. */
    private void assertBranchesStartedBeforeUse() {
        Set<Long> known = new HashSet<>();
        for (SearchEvent e : events) {
            List<Long> used = switch (e.payload()) {
                case SearchEvent.BranchesStarted s -> {
                    known.addAll(s.branchIds());
                    yield List.of();
                }
                case SearchEvent.BranchForked f -> {
                    known.addAll(f.childIds());
                    yield List.of(f.parentId());
                }
                case SearchEvent.BranchStep s -> List.of(s.branchId());
                case SearchEvent.BranchScored s -> List.of(s.branchId());
                case SearchEvent.BranchPruned p -> List.of(p.branchId());
                case SearchEvent.BranchFinished f -> List.of(f.branchId());
                case SearchEvent.PolicyDecision d -> d.branchIds();
                default -> List.of();
            };
            assertThat(known).as("branches started before event %d (%s)", e.sequence(), e.payload()).containsAll(used);
        }
    }
}
