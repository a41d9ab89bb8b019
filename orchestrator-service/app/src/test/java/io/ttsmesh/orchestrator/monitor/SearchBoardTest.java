package io.ttsmesh.orchestrator.monitor;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ttsmesh.proto.events.BranchStep;
import io.ttsmesh.proto.events.Method;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.events.SearchFinished;
import io.ttsmesh.proto.events.SearchStarted;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.events.Spend;
import io.ttsmesh.proto.events.StopReason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The board's bounds, without a server: buffers that drop instead of waiting, kept searches and events, duplicates. */
class SearchBoardTest {

    private static MonitorConfig config(int finished, int running, int eventsPerSearch, int buffer, int subscribers) {
        return new MonitorConfig() {
            public boolean enabled() { return true; }
            public int finishedSearches() { return finished; }
            public int runningSearches() { return running; }
            public int eventsPerSearch() { return eventsPerSearch; }
            public int subscriberBuffer() { return buffer; }
            public int maxSubscribers() { return subscribers; }
            public Duration overviewInterval() { return Duration.ofMillis(500); }
            public Duration podProbeInterval() { return Duration.ofSeconds(2); }
            public Duration heartbeat() { return Duration.ofSeconds(15); }
            public Duration sendTimeout() { return Duration.ofSeconds(30); }
            public Duration staleAfter() { return Duration.ofMinutes(15); }
            public boolean followKafka() { return true; }
        };
    }

    private static SearchEvent started(String id) {
        return SearchEvent.newBuilder().setRequestId(id).setSequence(1).setTimeUnixMs(System.currentTimeMillis())
                .setStarted(SearchStarted.newBuilder().setQuestion("1+2").setStrategy(Method.newBuilder().setName("best_of_n")))
                .build();
    }

    private static SearchEvent step(String id, long sequence, long tokensSoFar) {
        return SearchEvent.newBuilder().setRequestId(id).setSequence(sequence).setTimeUnixMs(System.currentTimeMillis())
                .setSpend(Spend.newBuilder().setGeneratedTokens(tokensSoFar))
                .setStep(BranchStep.newBuilder().setBranchId(1).setText("x").setTokens(1))
                .build();
    }

    private static SearchEvent finished(String id, long sequence) {
        return SearchEvent.newBuilder().setRequestId(id).setSequence(sequence).setTimeUnixMs(System.currentTimeMillis())
                .setSearchFinished(SearchFinished.newBuilder().setResult(SolveResult.newBuilder().setRequestId(id)
                        .setAnswer("3").setStopReason(StopReason.COMPLETED)))
                .build();
    }

    @Test
    void aBrowserThatDoesNotReadLosesMessagesNotTheSearch() {
        var board = new SearchBoard(config(10, 10, 100, 4, 8), new SimpleMeterRegistry());
        board.accept(started("s1"));
        SearchBoard.Watch watch = board.watchSearch("s1");
        for (int i = 2; i <= 101; i++) {
            board.accept(step("s1", i, i));
        }
        // Nobody drains the subscriber: it holds 4, the other 96 were dropped and counted; the search went on.
        assertThat(watch.subscriber().buffered()).isEqualTo(4);
        assertThat(watch.subscriber().dropped()).isEqualTo(96);
        assertThat(board.droppedTotal()).isEqualTo(96);
        assertThat(board.summaries().getFirst().get("events").asLong()).isEqualTo(101);
        watch.subscriber().close();
        assertThat(board.subscribers()).isZero();
    }

    @Test
    void aLateViewerGetsTheKeptEventsThenLiveOnesEachOnce() {
        var board = new SearchBoard(config(10, 10, 5, 100, 8), new SimpleMeterRegistry());
        board.accept(started("s1"));
        for (int i = 2; i <= 8; i++) {
            board.accept(step("s1", i, i));
        }
        SearchBoard.Watch watch = board.watchSearch("s1");
        // Kept: the first five events (a tree needs its beginning); the rest went live only.
        assertThat(watch.snapshot()).hasSize(5);
        assertThat(board.summaries().getFirst().get("events_not_retained").asLong()).isEqualTo(3);
        board.accept(step("s1", 9, 9));
        assertThat(watch.subscriber().buffered()).isEqualTo(1);
    }

    @Test
    void aFinishedSearchOverTheEventLimitStillShowsItsStartAndItsResult() {
        var board = new SearchBoard(config(10, 10, 5, 100, 8), new SimpleMeterRegistry());
        board.accept(started("big"));
        for (int i = 2; i <= 8; i++) {
            board.accept(step("big", i, i));
        }
        board.accept(finished("big", 9));
        List<SearchEvent> snapshot = board.watchSearch("big").snapshot().stream()
                .map(m -> ((MonitorMessage.Event) m).event()).toList();
        assertThat(snapshot.getFirst().hasStarted()).isTrue();
        assertThat(snapshot.getLast().hasSearchFinished()).isTrue();
        assertThat(snapshot).hasSize(6);
    }

    @Test
    void theOverviewNamesEachSearchsTaskWithItsQuestion() {
        var board = new SearchBoard(config(10, 10, 100, 100, 8), new SimpleMeterRegistry());
        board.accept(SearchEvent.newBuilder().setRequestId("cd").setSequence(1).setTimeUnixMs(System.currentTimeMillis())
                .setStarted(SearchStarted.newBuilder().setTask("countdown").setQuestion("3 7 9 2 -> 24")
                        .setStrategy(Method.newBuilder().setName("best_of_n")))
                .build());
        board.accept(started("old")); // from an orchestrator that named no task: the default one
        var byId = board.summaries().stream().collect(java.util.stream.Collectors.toMap(s -> s.get("request_id").asText(), s -> s));
        assertThat(byId.get("cd").get("task").asText()).isEqualTo("countdown");
        assertThat(byId.get("cd").get("question").asText()).isEqualTo("3 7 9 2 -> 24");
        assertThat(byId.get("old").get("task").asText()).isEqualTo("arithmetic");
    }

    @Test
    void aViewerCanWaitForASearchThatHasNotStartedYet() {
        var board = new SearchBoard(config(10, 10, 100, 100, 8), new SimpleMeterRegistry());
        SearchBoard.Watch watch = board.watchSearch("later");
        assertThat(watch.snapshot()).isEmpty();
        board.accept(started("later"));
        board.accept(step("later", 2, 1));
        assertThat(watch.subscriber().buffered()).isEqualTo(2);
    }

    @Test
    void onlyTheLastFinishedSearchesAreKept() {
        var board = new SearchBoard(config(3, 10, 100, 100, 8), new SimpleMeterRegistry());
        for (int i = 1; i <= 5; i++) {
            board.accept(started("f" + i));
            board.accept(finished("f" + i, 2));
        }
        board.accept(started("r1"));
        List<String> ids = board.summaries().stream().map(s -> s.get("request_id").asText()).toList();
        assertThat(ids).containsExactly("r1", "f5", "f4", "f3");
        assertThat(board.drainRemoved()).containsExactly("f1", "f2");
        assertThat(board.finishedTotal()).isEqualTo(5);
        assertThat(board.startedTotal()).isEqualTo(6);
    }

    @Test
    void runningSearchesAreBoundedToo() {
        var board = new SearchBoard(config(3, 2, 100, 100, 8), new SimpleMeterRegistry());
        board.accept(started("a"));
        board.accept(started("b"));
        board.accept(started("c"));
        assertThat(board.summaries().stream().map(s -> s.get("request_id").asText())).containsExactly("b", "c");
    }

    @Test
    void ownEventsBackFromKafkaAreIgnoredAndOtherPodsSearchesShow() {
        var board = new SearchBoard(config(1, 10, 100, 100, 8), new SimpleMeterRegistry());
        board.accept(started("mine"));
        board.accept(step("mine", 2, 5));
        board.accept(started("mine"), false);
        board.accept(step("mine", 2, 5), false);
        board.accept(step("mine", 3, 9), false); // ours, even when Kafka shows it first: not taken twice
        board.accept(started("theirs"), false);
        board.accept(step("theirs", 3, 4), false); // sequence 2 was lost on the way
        var byId = board.summaries().stream().collect(java.util.stream.Collectors.toMap(s -> s.get("request_id").asText(), s -> s));
        assertThat(byId.get("mine").get("events").asLong()).isEqualTo(2);
        assertThat(byId.get("mine").get("local").asBoolean()).isTrue();
        assertThat(byId.get("theirs").get("local").asBoolean()).isFalse();
        assertThat(byId.get("theirs").get("events_missed").asLong()).isEqualTo(1);

        // A local search forgotten (only one finished one is kept) does not come back from Kafka.
        board.accept(finished("mine", 3));
        board.accept(started("other"));
        board.accept(finished("other", 2));
        board.accept(finished("mine", 3), false);
        assertThat(board.summaries().stream().map(s -> s.get("request_id").asText())).doesNotContain("mine");
    }

    @Test
    void aRequestIdAskedAgainStartsAFreshRecord() {
        var board = new SearchBoard(config(5, 10, 100, 100, 8), new SimpleMeterRegistry());
        board.accept(started("again"));
        board.accept(finished("again", 2));
        board.accept(started("again"));
        var summary = board.summaries().getFirst();
        assertThat(summary.get("state").asText()).isEqualTo("running");
        assertThat(summary.get("events").asLong()).isEqualTo(1);
    }

    @Test
    void streamsAreBounded() {
        var board = new SearchBoard(config(5, 10, 100, 100, 2), new SimpleMeterRegistry());
        assertThat(board.watchOverview()).isNotNull();
        assertThat(board.watchSearch("x")).isNotNull();
        assertThat(board.watchSearch("y")).isNull();
        assertThat(board.watchOverview()).isNull();
    }
}
