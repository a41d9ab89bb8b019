package io.ttsmesh.orchestrator.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.orchestrator.pods.PodClients;
import io.ttsmesh.orchestrator.solving.SearchService;
import io.ttsmesh.orchestrator.testing.KafkaBrokerResource;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.events.StopReason;
import io.ttsmesh.proto.generator.SessionCommand;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.GetJobRequest;
import io.ttsmesh.proto.orchestrator.JobState;
import io.ttsmesh.proto.orchestrator.ListStrategiesRequest;
import io.ttsmesh.proto.orchestrator.OrchestratorGrpc;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The public gRPC API over real gRPC, searching on scripted generator and verifier pods. */
@QuarkusTest
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class OrchestratorGrpcTest {

    @GrpcClient("self")
    OrchestratorGrpc.OrchestratorBlockingStub orchestrator;

    @GrpcClient("self")
    io.grpc.Channel channel;

    @Inject
    SearchService searches;

    @Inject
    PodClients pods;

    @AfterEach
    void fastPods() {
        ScriptedMeshResource.generatorA.stepDelayMs(0);
        ScriptedMeshResource.generatorB.stepDelayMs(0);
    }

    @Test
    void healthCheckAnswersKnownServicesAndNotFoundForOthers() {
        var health = grpc.health.v1.HealthGrpc.newBlockingStub(channel);
        var serving = grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus.SERVING;
        assertThat(health.check(grpc.health.v1.HealthOuterClass.HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(serving);
        assertThat(health.check(grpc.health.v1.HealthOuterClass.HealthCheckRequest.newBuilder()
                .setService(OrchestratorGrpc.SERVICE_NAME).build()).getStatus()).isEqualTo(serving);
        assertThatThrownBy(() -> health.check(grpc.health.v1.HealthOuterClass.HealthCheckRequest.newBuilder()
                .setService("no.such.Service").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("no.such.Service");
                });
        // the channel still serves
        assertThat(health.check(grpc.health.v1.HealthOuterClass.HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(serving);
    }

    @Test
    void theSequenceIsGapFreeAtEveryDetailLevel() {
        for (Detail detail : List.of(Detail.STEPS, Detail.DECISIONS, Detail.RESULT_ONLY)) {
            List<SearchEvent> events = new ArrayList<>();
            orchestrator.solve(SolveRequests.bestOfN("grpc-seq-" + detail.getNumber(), "2+3", 4).toBuilder().setDetail(detail).build())
                    .forEachRemaining(events::add);
            assertThat(events).extracting(SearchEvent::getSequence)
                    .as("detail %s", detail)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
            assertThat(events.getLast().hasSearchFinished()).isTrue();
            if (detail == Detail.RESULT_ONLY) {
                assertThat(events).hasSize(1);
            } else if (detail == Detail.DECISIONS) {
                assertThat(events).noneMatch(SearchEvent::hasStep).anyMatch(SearchEvent::hasFinished);
            } else {
                assertThat(events).anyMatch(SearchEvent::hasStep);
            }
        }
    }

    @Test
    void solveStreamsEveryEventInOrderAndEndsWithTheResult() {
        List<SearchEvent> events = new ArrayList<>();
        orchestrator.solve(SolveRequests.bestOfN("grpc-solve-1", "2+3", 4)).forEachRemaining(events::add);

        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.getRequestId()).isEqualTo("grpc-solve-1"));
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getSequence()).isEqualTo(i + 1); // detail STEPS: nothing filtered, no gap
        }
        assertThat(events.getFirst().hasStarted()).isTrue();
        assertThat(events.getFirst().getStarted().getGenerator()).isIn("gen-a", "gen-b");
        assertThat(events).anySatisfy(e -> assertThat(e.hasStep()).isTrue());
        assertThat(events).anySatisfy(e -> assertThat(e.hasScored()).isTrue());
        SearchEvent last = events.getLast();
        assertThat(last.hasSearchFinished()).isTrue();
        var result = last.getSearchFinished().getResult();
        assertThat(result.getAnswer()).isEqualTo("5");
        assertThat(result.getStopReason()).isEqualTo(StopReason.COMPLETED);
        long stepTokens = events.stream().filter(SearchEvent::hasStep).mapToLong(e -> e.getStep().getTokens()).sum();
        assertThat(result.getSpend().getGeneratedTokens()).isEqualTo(stepTokens);
        assertThat(result.getSpend().getVerifierCalls()).isBetween(1, 200);
    }

    @Test
    void resultOnlyStreamsJustTheResult() {
        SolveRequest request = SolveRequests.bestOfN("grpc-solve-2", "4+4", 2).toBuilder()
                .setDetail(io.ttsmesh.proto.orchestrator.Detail.RESULT_ONLY).build();
        List<SearchEvent> events = new ArrayList<>();
        orchestrator.solve(request).forEachRemaining(events::add);
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().getSearchFinished().getResult().getAnswer()).isEqualTo("8");
    }

    @Test
    void wrongRequestsAreRefusedNamingTheField() {
        SolveRequest good = SolveRequests.bestOfN("grpc-bad", "2+3", 2);
        assertInvalid(good.toBuilder().clearBudget().build(), "budget");
        assertInvalid(good.toBuilder().setRequestId("bad id with spaces").build(), "request_id");
        assertInvalid(good.toBuilder().setQuestion("").build(), "question");
        assertInvalid(good.toBuilder().setStrategy(good.getStrategy().toBuilder().setName("no_such_strategy")).build(), "strategy.name");
        assertInvalid(good.toBuilder().setStrategy(good.getStrategy().toBuilder().putParams("n", "0")).build(), "strategy.params.n");
        assertInvalid(good.toBuilder().setBudget(good.getBudget().toBuilder().setMaxTokens(0)).build(), "budget.max_tokens");
        assertInvalid(good.toBuilder().setAggregation("median").build(), "aggregation");
    }

    @Test
    void aTaskThatIsUnknownOrAQuestionOutsideItsTasksSchemaIsRefusedNamingTheField() {
        SolveRequest countdown = SolveRequests.bestOfN("grpc-bad-task", "3 5 8 -> 16", 2).toBuilder().setTask("countdown").build();
        assertInvalid(countdown.toBuilder().setTask("chess").build(), "task");
        assertThatThrownBy(() -> orchestrator.solve(countdown.toBuilder().setTask("chess").build()).forEachRemaining(e -> {
        })).hasMessageContaining("unknown task 'chess' (known: arithmetic, countdown, math");
        assertInvalid(countdown.toBuilder().setTask("x".repeat(65)).build(), "task");
        assertInvalid(countdown.toBuilder().setQuestion("3 5 8 1 2 4 -> 16").build(), "question.numbers");
        assertInvalid(countdown.toBuilder().setQuestion("3 13 8 -> 16").build(), "question.numbers");
        assertInvalid(countdown.toBuilder().setQuestion("3 5 8 -> 100").build(), "question.target");
        assertInvalid(countdown.toBuilder().setQuestion("2+3").build(), "question");
        assertInvalid(countdown.toBuilder().setTask("").build(), "question"); // the default task reads no expression
        assertInvalid(countdown.toBuilder().setVerifier("orm").build(), "verifier"); // not among this task's pods' verifiers
        assertThat(received("grpc-bad-task")).isEmpty();
        assertThat(ScriptedMeshResource.countdownGenerator.received())
                .noneSatisfy(c -> assertThat(c.getRequestId()).isEqualTo("grpc-bad-task"));
    }

    @Test
    void aCountdownRequestRunsOnTheCountdownPodsAndIsAnsweredByTheTasksKey() {
        SolveRequest request = SolveRequests.bestOfN("grpc-countdown-1", " 3 5  8 ->16 ", 4).toBuilder()
                .setTask("countdown").setVerifier("rules").build();
        // A pod is known by its address until its first Describe has answered; the started event names the pod.
        var countdownPods = pods.tasks().stream().filter(t -> t.task().equals("countdown")).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> countdownPods.generators().endpoints().stream()
                .allMatch(e -> Boolean.TRUE.equals(e.reachable())));
        int arithmeticCalls = ScriptedMeshResource.verifier.calls();
        List<SearchEvent> events = new ArrayList<>();
        orchestrator.solve(request).forEachRemaining(events::add);

        var started = events.getFirst().getStarted();
        assertThat(started.getTask()).isEqualTo("countdown");
        assertThat(started.getQuestion()).isEqualTo("3 5 8 -> 16");
        assertThat(started.getGenerator()).isEqualTo("gen-countdown");
        var result = events.getLast().getSearchFinished().getResult();
        assertThat(result.getStopReason()).isEqualTo(StopReason.COMPLETED);
        // The right script's steps as the task's vote key; the wrong branches' last steps broke the rules.
        assertThat(result.getAnswer()).isEqualTo("3+5=8,8+8=16");
        assertThat(result.getSolution()).isEqualTo("3+5=8; 8 8\n8+8=16; 16\nA: 16");
        assertThat(result.getAnswersList()).extracting(t -> t.getAnswer()).contains("3+5=8,8+8=17");

        assertThat(ScriptedMeshResource.countdownGenerator.received().stream()
                .filter(c -> c.getRequestId().equals("grpc-countdown-1") && c.hasStart())
                .map(c -> c.getStart().getPrompt())).containsExactly("Q: 3 5 8 -> 16\n");
        assertThat(received("grpc-countdown-1")).isEmpty();
        assertThat(ScriptedMeshResource.countdownVerifier.tasks()).isNotEmpty().containsOnly("countdown");
        assertThat(ScriptedMeshResource.verifier.calls()).isEqualTo(arithmeticCalls);
        assertThat(ScriptedMeshResource.verifier.tasks()).doesNotContain("countdown");
    }

    private void assertInvalid(SolveRequest request, String field) {
        assertThatThrownBy(() -> orchestrator.solve(request).forEachRemaining(e -> {
        })).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).startsWith(field + ":");
        });
    }

    /**
     * A client deadline shorter than the budget's becomes the search's deadline, less a margin: the client gets
     * the search's answer so far (stop reason DEADLINE) instead of DEADLINE_EXCEEDED and nothing.
     */
    @Test
    void aClientDeadlineShorterThanTheBudgetsEndsTheSearchInTimeToAnswer() {
        ScriptedMeshResource.generatorA.stepDelayMs(3000);
        ScriptedMeshResource.generatorB.stepDelayMs(3000);
        List<SearchEvent> events = new ArrayList<>();
        long t0 = System.nanoTime();
        orchestrator.withDeadlineAfter(1500, TimeUnit.MILLISECONDS)
                .solve(SolveRequests.bestOfN("grpc-client-deadline", "2+3", 2)) // the budget allows 20 s
                .forEachRemaining(events::add);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1500));
        assertThat(events.getLast().hasSearchFinished()).isTrue();
        assertThat(events.getLast().getSearchFinished().getResult().getStopReason()).isEqualTo(StopReason.DEADLINE);
        await().atMost(10, TimeUnit.SECONDS).until(() -> searches.admission().running() == 0 && liveBranches() == 0);
    }

    @Test
    void beyondTheSlotsAndTheQueueARequestIsRefusedAtOnceAndCancelledSearchesFreeTheirBranches() {
        // Slow pods: each search holds its slot for seconds. The test profile allows 4 running and 2 queued.
        ScriptedMeshResource.generatorA.stepDelayMs(3000);
        ScriptedMeshResource.generatorB.stepDelayMs(3000);
        List<ClientCallStreamObserver<SolveRequest>> calls = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 6; i++) {
            OrchestratorGrpc.newStub(channel).solve(SolveRequests.bestOfN("grpc-full-" + i, "2+3", 2), new ClientResponseObserver<SolveRequest, SearchEvent>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<SolveRequest> call) {
                    calls.add(call);
                }

                @Override
                public void onNext(SearchEvent value) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            });
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> searches.admission().running() == 4 && searches.admission().queued() == 2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> liveBranches() > 0);

        long t0 = System.nanoTime();
        Iterator<SearchEvent> refused = orchestrator.solve(SolveRequests.bestOfN("grpc-full-x", "2+3", 2));
        assertThatThrownBy(refused::hasNext).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));

        calls.forEach(c -> c.cancel("client gave up", null));
        await().atMost(10, TimeUnit.SECONDS).until(() -> searches.admission().running() == 0 && searches.admission().queued() == 0);
        await().atMost(10, TimeUnit.SECONDS).until(() -> liveBranches() == 0
                && ScriptedMeshResource.generatorA.openSessions() + ScriptedMeshResource.generatorB.openSessions() == 0);
    }

    private static int liveBranches() {
        return ScriptedMeshResource.generatorA.liveBranches() + ScriptedMeshResource.generatorB.liveBranches();
    }

    @Test
    void submitIsIdempotentAndGetReturnsTheResult() {
        SolveRequest request = SolveRequests.bestOfN("grpc-job-1", "6+1", 2);
        var first = orchestrator.submit(request);
        var again = orchestrator.submit(request);
        assertThat(again.getRequestId()).isEqualTo(first.getRequestId());
        await().atMost(20, TimeUnit.SECONDS).until(() ->
                orchestrator.get(GetJobRequest.newBuilder().setRequestId("grpc-job-1").build()).getState() == JobState.DONE);
        var job = orchestrator.get(GetJobRequest.newBuilder().setRequestId("grpc-job-1").build());
        assertThat(job.getResult().getAnswer()).isEqualTo("7");
        assertThat(orchestrator.submit(request).getState()).isEqualTo(JobState.DONE);
        long starts = received("grpc-job-1").stream().filter(SessionCommand::hasStart).count();
        assertThat(starts).isEqualTo(1);

        assertThatThrownBy(() -> orchestrator.get(GetJobRequest.newBuilder().setRequestId("never-submitted").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    static List<SessionCommand> received(String requestId) {
        List<SessionCommand> all = new ArrayList<>(ScriptedMeshResource.generatorA.received());
        all.addAll(ScriptedMeshResource.generatorB.received());
        return all.stream().filter(c -> c.getRequestId().equals(requestId)).toList();
    }

    @Test
    void listStrategiesShowsTheCatalog() {
        var catalog = orchestrator.listStrategies(ListStrategiesRequest.getDefaultInstance());
        assertThat(catalog.getStrategiesList()).extracting(m -> m.getName()).contains("best_of_n", "beam_search", "self_consistency");
        var bestOfN = catalog.getStrategiesList().stream().filter(m -> m.getName().equals("best_of_n")).findFirst().orElseThrow();
        assertThat(bestOfN.getParamsList()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("n");
            assertThat(p.getType()).isEqualTo("int");
        });
        assertThat(catalog.getAggregationsList()).containsExactly("last", "min", "prod", "mean");
        assertThat(catalog.getVerifiersList()).contains("prm");
        assertThat(catalog.getTasksList()).extracting(t -> t.getName()).containsExactly("arithmetic", "countdown");
        var countdown = catalog.getTasks(1);
        assertThat(countdown.getDescription()).contains("3 7 9 2 -> 24");
        assertThat(countdown.getVerifiersList()).containsExactly("prm", "rules", "oracle");
        assertThat(countdown.getDefaultVerifier()).isEqualTo("prm");
        assertThat(catalog.getTasks(0).getVerifiersList()).contains("prm", "orm", "rules", "oracle", "exact", "confidence");
    }
}
