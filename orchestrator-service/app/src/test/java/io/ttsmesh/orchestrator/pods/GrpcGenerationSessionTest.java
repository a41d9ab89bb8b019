package io.ttsmesh.orchestrator.pods;

import io.ttsmesh.orchestrator.testing.ScriptedGenerator;
import io.ttsmesh.proto.generator.SessionCommand;
import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.GenerationException;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.PendingStart;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.generation.Step;
import io.ttsmesh.search.generation.StepEnd;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.WithTestResource;
import io.ttsmesh.orchestrator.testing.KafkaBrokerResource;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The Session-stream client against a scripted generator over real gRPC on loopback. */
@QuarkusTest
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class GrpcGenerationSessionTest {

    private ScriptedGenerator first;
    private ScriptedGenerator second;
    private EndpointGroup group;
    private GrpcGenerationSessions sessions;

    @BeforeEach
    void start() throws Exception {
        first = new ScriptedGenerator("gen-a");
        second = new ScriptedGenerator("gen-b");
        group = new EndpointGroup("generator", List.of(first.address(), second.address()));
        sessions = new GrpcGenerationSessions(group, Duration.ofSeconds(2), "\n", 3, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        group.shutdown();
        first.close();
        second.close();
    }

    private static Instant in(Duration d) {
        return Instant.now().plus(d);
    }

    @Test
    void drivesBranchesAndReadsTheGeneratorsTotals() {
        GenerationSession session = sessions.open("r1", in(Duration.ofSeconds(10)));
        int promptTokens = session.start("Q: 2+3\n", List.of(1L, 2L), SamplingParams.defaults().withSeed(7));
        assertThat(promptTokens).isEqualTo("Q: 2+3\n".length());

        List<Step> steps = session.extend(List.of(1L, 2L), Extension.nextStep(32));
        assertThat(steps).extracting(Step::text).containsExactly("2+3=6\n", "2+3=5\n");
        assertThat(steps).allSatisfy(s -> {
            assertThat(s.end()).isEqualTo(StepEnd.DELIMITER);
            assertThat(s.finished()).isFalse();
            assertThat(s.tokens()).isEqualTo(s.text().length());
            assertThat(s.logprobs()).isEmpty(); // top_logprobs 0: the search reads only the steps' means
            assertThat(s.meanLogprob()).isEqualTo(-0.5, org.assertj.core.data.Offset.offset(1e-6));
        });

        session.fork(2L, List.of(3L, 4L), List.of());
        var probe = session.probe(3L, "A:", 4, "");
        assertThat(probe.text()).isEqualTo(" 5");
        assertThat(session.append(4L, "Wait")).isEqualTo(4);
        session.cancel(List.of(1L));

        List<Step> finals = session.extend(List.of(2L, 3L), Extension.nextStep(32));
        assertThat(finals).extracting(Step::text).containsExactly("A: 5", "A: 5");
        assertThat(finals).allSatisfy(s -> assertThat(s.finished()).isTrue());

        long generated = steps.stream().mapToLong(Step::tokens).sum() + finals.stream().mapToLong(Step::tokens).sum()
                + probe.generatedTokens();
        var totals = session.close();
        assertThat(totals.generatedTokens()).isEqualTo(generated);
        assertThat(totals.prefillTokens()).isEqualTo(promptTokens + probe.cueTokens() + 4);
        assertThat(totals.branchesFreed()).isEqualTo(1); // branch 4 was still live
        assertThat(first.liveBranches() + second.liveBranches()).isZero();
        await().atMost(5, TimeUnit.SECONDS).until(() -> first.openSessions() + second.openSessions() == 0);
    }

    @Test
    void perTokenLogprobsTravelOnlyForASearchThatReadsThem() {
        GenerationSession plain = sessions.open("lp0", in(Duration.ofSeconds(10)));
        plain.start("Q: 2+3\n", List.of(1L), SamplingParams.defaults().withSeed(7));
        List<Step> means = plain.extend(List.of(1L), Extension.nextStep(32));
        GenerationSession confident = sessions.open("lp2", in(Duration.ofSeconds(10)));
        confident.start("Q: 2+3\n", List.of(1L), SamplingParams.defaults().withSeed(7).withTopLogprobs(2));
        List<Step> tokens = confident.extend(List.of(1L), Extension.nextStep(32));

        assertThat(extendsOf(plain, "lp0")).extracting(c -> c.getExtend().getOmitTokenLogprobs()).containsExactly(true);
        assertThat(extendsOf(confident, "lp2")).extracting(c -> c.getExtend().getOmitTokenLogprobs())
                .containsExactly(false);
        assertThat(means.getFirst().logprobs()).isEmpty();
        assertThat(tokens.getFirst().logprobs()).hasSize(tokens.getFirst().tokens());
        assertThat(means.getFirst().meanLogprob()).isEqualTo(tokens.getFirst().meanLogprob()).isEqualTo(-0.5);
        plain.close();
        confident.close();
    }

    private List<SessionCommand> extendsOf(GenerationSession session, String requestId) {
        ScriptedGenerator pod = GrpcGenerationSessions.generatorOf(session).equals(first.address()) ? first : second;
        return pod.received().stream().filter(c -> c.getRequestId().equals(requestId) && c.hasExtend()).toList();
    }

    private static long extendsReceived(ScriptedGenerator generator, String requestId) {
        return generator.received().stream().filter(c -> c.getRequestId().equals(requestId) && c.hasExtend()).count();
    }

    @Test
    void forksAndCancelsArePipelinedQuietlyAheadOfTheNextAwaitedCommand() {
        GenerationSession session = sessions.open("p1", in(Duration.ofSeconds(10)));
        session.start("Q: 2+3\n", List.of(1L, 2L), SamplingParams.defaults().withSeed(7));
        session.extend(List.of(1L, 2L), Extension.nextStep(32));
        ScriptedGenerator pod = GrpcGenerationSessions.generatorOf(session).equals(first.address()) ? first : second;
        int before = pod.received().size();
        session.fork(2L, List.of(3L, 4L), List.of());
        session.fork(1L, List.of(5L), List.of());
        session.cancel(List.of(4L));
        // Nothing was waited for: the three commands are held until the next awaited one.
        assertThat(pod.received()).hasSize(before);

        List<Step> steps = session.extend(List.of(1L, 2L, 3L, 5L), Extension.nextStep(32));
        // the children go on from their parents (branch 1 has the sum wrong, and so has its child 5)
        assertThat(steps).extracting(Step::text).containsExactly("A: 6", "A: 5", "A: 5", "A: 6");
        List<SessionCommand> sent = pod.received().subList(before, pod.received().size());
        assertThat(sent).extracting(SessionCommand::getCommandCase).containsExactly(SessionCommand.CommandCase.FORK,
                SessionCommand.CommandCase.FORK, SessionCommand.CommandCase.CANCEL, SessionCommand.CommandCase.EXTEND);
        assertThat(sent).extracting(SessionCommand::getPipelined).containsExactly(true, true, true, false);
        // and quiet: the generator answers them only if they fail
        assertThat(sent).extracting(SessionCommand::getQuiet).containsExactly(true, true, true, false);
        session.close();
    }

    @Test
    void theFirstStartGoesOutWithTheFirstExtendAndIsAnsweredBeforeItsSteps() {
        GenerationSession session = sessions.open("a1", in(Duration.ofSeconds(10)));
        PendingStart start = session.startAhead("Q: 2+3\n", List.of(1L, 2L), SamplingParams.defaults().withSeed(7));
        ScriptedGenerator pod = GrpcGenerationSessions.generatorOf(session).equals(first.address()) ? first : second;
        assertThat(pod.received()).noneMatch(c -> c.getRequestId().equals("a1"));

        List<Step> steps = session.extend(List.of(1L, 2L), Extension.nextStep(32));
        assertThat(steps).extracting(Step::text).containsExactly("2+3=6\n", "2+3=5\n");
        assertThat(start.promptTokens()).isEqualTo("Q: 2+3\n".length());
        List<SessionCommand> sent = pod.received().stream().filter(c -> c.getRequestId().equals("a1")).toList();
        assertThat(sent).extracting(SessionCommand::getCommandCase)
                .containsExactly(SessionCommand.CommandCase.START, SessionCommand.CommandCase.EXTEND);
        assertThat(sent).extracting(SessionCommand::getPipelined).containsExactly(true, false);

        var totals = session.close();
        assertThat(totals.prefillTokens()).isEqualTo(start.promptTokens());
    }

    @Test
    void aStartSentAheadThatIsRefusedFailsTheExtendWithItsOwnError() {
        GenerationSession session = sessions.open("a2", in(Duration.ofSeconds(10)));
        PendingStart start = session.startAhead("no sum here", List.of(1L), SamplingParams.defaults());
        assertThatThrownBy(() -> session.extend(List.of(1L), Extension.nextStep(8)))
                .isInstanceOfSatisfying(GenerationException.class, e -> {
                    assertThat(e.code()).isEqualTo("INVALID_ARGUMENT");
                    assertThat(e.getMessage()).contains("start.prompt");
                });
        assertThatThrownBy(start::promptTokens).isInstanceOf(GenerationException.class).hasMessageContaining("start.prompt");
        session.close();
        assertThat(first.liveBranches() + second.liveBranches()).isZero();
    }

    @Test
    void aPipelinedForkThatFailsIsReportedByTheNextAwaitedCommandNamingTheBranch() {
        GenerationSession session = sessions.open("p2", in(Duration.ofSeconds(10)));
        session.start("2+3", List.of(1L), SamplingParams.defaults());
        session.fork(42L, List.of(7L), List.of()); // no branch 42: the generator refuses, nobody waits for it
        assertThatThrownBy(() -> session.extend(List.of(1L, 7L), Extension.nextStep(8)))
                .isInstanceOfSatisfying(GenerationException.class, e -> {
                    assertThat(e.code()).isEqualTo("NOT_FOUND");
                    assertThat(e.getMessage()).contains("fork of branch 42 into [7] failed");
                });
        // reported once; the session goes on
        assertThat(session.extend(List.of(1L), Extension.nextStep(8))).hasSize(1);
        session.close();
    }

    @Test
    void commandErrorsCarryTheGrpcCodeName() {
        GenerationSession session = sessions.open("r2", in(Duration.ofSeconds(10)));
        session.start("2+3", List.of(1L), SamplingParams.defaults());
        assertThatThrownBy(() -> session.extend(List.of(42L), Extension.nextStep(8)))
                .isInstanceOfSatisfying(GenerationException.class, e -> {
                    assertThat(e.code()).isEqualTo("NOT_FOUND");
                    assertThat(e.getMessage()).contains("unknown branch 42");
                });
        // the session goes on after a CommandError
        assertThat(session.extend(List.of(1L), Extension.nextStep(8))).hasSize(1);
        session.close();
    }

    @Test
    void stepsArriveOnTheCallingThreadInArrivalOrderAndOnStepMayCancel() {
        first.stepDelayMs(150);
        second.stepDelayMs(150);
        GenerationSession session = sessions.open("r3", in(Duration.ofSeconds(10)));
        session.start("2+3", List.of(1L, 2L, 3L), SamplingParams.defaults());
        Thread caller = Thread.currentThread();
        List<String> seen = new ArrayList<>();
        // Branch 1 answers first (shortest delay); the first finisher cancels the other two.
        session.extend(List.of(3L, 2L, 1L), Extension.nextStep(8), step -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            seen.add(step.branchId() + ":" + step.end());
            if (step.branchId() == 1L) {
                session.cancel(List.of(2L, 3L));
            }
        });
        assertThat(seen).containsExactly("1:DELIMITER", "2:CANCELLED", "3:CANCELLED");
        session.close();
    }

    @Test
    void waitsEndAtTheSearchDeadline() {
        GenerationSession session = sessions.open("r4", in(Duration.ofMillis(800)));
        session.start("2+3", List.of(950L), SamplingParams.defaults());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> session.extend(List.of(950L), Extension.nextStep(8)))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo("DEADLINE_EXCEEDED"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        // the close grace still lets the session read its totals and free the branch
        assertThat(session.close().branchesFreed()).isEqualTo(1);
    }

    @Test
    void anInterruptCancelsTheWaitAndCloseStillFreesTheBranches() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Integer> freed = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread search = Thread.ofVirtual().start(() -> {
            GenerationSession session = sessions.open("r5", in(Duration.ofSeconds(30)));
            session.start("2+3", List.of(1L, 950L), SamplingParams.defaults());
            try {
                session.extend(List.of(950L), Extension.nextStep(8));
            } catch (GenerationException e) {
                failure.set(e);
            }
            freed.set(session.close().branchesFreed());
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        // Interrupt once the Extend is with the generator (branch 950 never answers), not before the wait began.
        await().atMost(5, TimeUnit.SECONDS).until(() -> extendsReceived(first, "r5") + extendsReceived(second, "r5") == 1);
        search.interrupt();
        search.join(5000);
        assertThat(failure.get()).isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo("CANCELLED"));
        assertThat(freed.get()).isEqualTo(2);
        assertThat(stillInterrupted.get()).isTrue();
    }

    @Test
    void aGeneratorThatDiesFailsTheWaitAtOnceWithUnavailable() throws Exception {
        var single = new EndpointGroup("generator", List.of(second.address()));
        var only = new GrpcGenerationSessions(single, Duration.ofSeconds(2), "\n", 3, Duration.ofSeconds(5));
        try {
            GenerationSession session = only.open("dies", in(Duration.ofSeconds(30)));
            session.start("2+3", List.of(950L), SamplingParams.defaults());
            Thread.ofVirtual().start(() -> {
                try {
                    // The pod dies while the Extend waits (branch 950 never answers).
                    await().atMost(5, TimeUnit.SECONDS).until(() -> extendsReceived(second, "dies") == 1);
                    second.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> session.extend(List.of(950L), Extension.nextStep(8)))
                    .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo("UNAVAILABLE"));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(session::close).isInstanceOf(GenerationException.class);
        } finally {
            single.shutdown();
        }
    }

    @Test
    void searchesSpreadOverPodsByOpenSessions() {
        List<GenerationSession> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            GenerationSession s = sessions.open("s" + i, in(Duration.ofSeconds(10)));
            s.start("2+3", List.of(1L), SamplingParams.defaults());
            open.add(s);
        }
        assertThat(first.openSessions()).isEqualTo(2);
        assertThat(second.openSessions()).isEqualTo(2);
        open.get(0).close();
        open.get(2).close();
        // the emptier pod (both closed sessions were on the same one, or one each) gets the next searches
        int firstBefore = first.openSessions();
        int secondBefore = second.openSessions();
        GenerationSession next = sessions.open("s5", in(Duration.ofSeconds(10)));
        next.start("2+3", List.of(1L), SamplingParams.defaults());
        assertThat(Math.max(first.openSessions() - firstBefore, second.openSessions() - secondBefore)).isEqualTo(1);
        if (firstBefore != secondBefore) {
            assertThat(firstBefore < secondBefore ? first.openSessions() - firstBefore : second.openSessions() - secondBefore).isEqualTo(1);
        }
        open.get(1).close();
        open.get(3).close();
        next.close();
    }

    @Test
    void aSearchWhoseFirstPodIsDownStartsOnAnother() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        var mixed = new EndpointGroup("generator", List.of("localhost:" + deadPort, first.address()));
        var failover = new GrpcGenerationSessions(mixed, Duration.ofSeconds(2), "", 3, Duration.ofSeconds(5));
        try {
            for (int i = 0; i < 3; i++) {
                GenerationSession session = failover.open("f" + i, in(Duration.ofSeconds(10)));
                assertThat(session.start("2+3", List.of(1L), SamplingParams.defaults())).isEqualTo(3);
                assertThat(GrpcGenerationSessions.generatorOf(session)).isEqualTo(first.address());
                session.close();
            }
        } finally {
            mixed.shutdown();
        }
    }

    @Test
    void aStartSentAheadToAPodThatIsDownMovesToAnotherWithItsExtend() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        var mixed = new EndpointGroup("generator", List.of("localhost:" + deadPort, first.address()));
        // With spare streams: the dead pod's spare has ended by the time a search takes it.
        var failover = new GrpcGenerationSessions(mixed, Duration.ofSeconds(2), "", 3, Duration.ofSeconds(5), Duration.ofMinutes(1));
        failover.refreshSpares();
        try {
            for (int i = 0; i < 3; i++) {
                GenerationSession session = failover.open("fa" + i, in(Duration.ofSeconds(10)));
                PendingStart start = session.startAhead("2+3", List.of(1L), SamplingParams.defaults());
                assertThat(session.extend(List.of(1L), Extension.nextStep(16))).extracting(Step::branchId).containsExactly(1L);
                assertThat(start.promptTokens()).isEqualTo(3);
                assertThat(GrpcGenerationSessions.generatorOf(session)).isEqualTo(first.address());
                session.close();
            }
        } finally {
            failover.close();
            mixed.shutdown();
        }
    }

    @Test
    void aSearchTakesItsPodsSpareStreamAndASpareIsOpenedBehindIt() {
        var withSpares = new GrpcGenerationSessions(group, Duration.ofSeconds(2), "\n", 3, Duration.ofSeconds(5), Duration.ofMinutes(1));
        try {
            withSpares.refreshSpares();
            assertThat(withSpares.spareStreams()).isEqualTo(2);
            // Spares hold nothing on the pods: no session there until a search's first command.
            assertThat(first.openSessions() + second.openSessions()).isZero();

            List<GenerationSession> open = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                GenerationSession session = withSpares.open("s" + i, in(Duration.ofSeconds(10)));
                session.startAhead("Q: 2+3\n", List.of(1L, 2L), SamplingParams.defaults());
                assertThat(session.extend(List.of(1L, 2L), Extension.nextStep(32))).extracting(Step::text)
                        .containsExactly("2+3=6\n", "2+3=5\n");
                open.add(session);
                // A spare's deadline is the longest search's (1 minute + grace + 1 minute), not this one's 10 s.
                assertThat(deadlineOf("s" + i).timeRemaining(TimeUnit.SECONDS)).isGreaterThan(60);
            }
            // Only the searches count for the choice of pod, two each; a spare per pod waits for the next.
            assertThat(first.openSessions()).isEqualTo(2);
            assertThat(second.openSessions()).isEqualTo(2);
            assertThat(withSpares.spareStreams()).isEqualTo(2);
            // One stream per search and one spare per pod: none opened in vain.
            await().atMost(5, TimeUnit.SECONDS).until(() -> first.streamsOpened() + second.streamsOpened() == 4 + 2);
            open.forEach(GenerationSession::close);
            await().atMost(5, TimeUnit.SECONDS).until(() -> first.openSessions() + second.openSessions() == 0);
            assertThat(group.endpoints()).allSatisfy(e -> assertThat(e.load()).isZero());
        } finally {
            withSpares.close();
        }
    }

    @Test
    void aSearchLongerThanItsSpareLastsGetsAStreamOfItsOwn() {
        // Spares last 1 minute (+ the 2 s grace): a search with 5 minutes to go cannot use one.
        var withSpares = new GrpcGenerationSessions(group, Duration.ofSeconds(2), "\n", 3, Duration.ofSeconds(5), Duration.ZERO);
        try {
            withSpares.refreshSpares();
            GenerationSession session = withSpares.open("long", in(Duration.ofMinutes(5)));
            assertThat(session.start("Q: 2+3\n", List.of(2L), SamplingParams.defaults())).isEqualTo(7);
            assertThat(deadlineOf("long").timeRemaining(TimeUnit.SECONDS)).isBetween(290L, 302L);
            assertThat(session.extend(List.of(2L), Extension.nextStep(32))).extracting(Step::text).containsExactly("2+3=5\n");
            session.close();
            assertThat(withSpares.spareStreams()).isEqualTo(2);
        } finally {
            withSpares.close();
        }
    }

    private io.grpc.Deadline deadlineOf(String requestId) {
        io.grpc.Deadline d = first.streamDeadline(requestId);
        return d != null ? d : second.streamDeadline(requestId);
    }

    @Test
    void concurrentSearchesShareAPodWithoutMixingAnswers() {
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String q = (i + 1) + "+" + (i + 2);
            int sum = 2 * i + 3;
            answers.add(CompletableFuture.supplyAsync(() -> {
                GenerationSession s = sessions.open("c-" + q, in(Duration.ofSeconds(20)));
                s.start(q, List.of(2L), SamplingParams.defaults());
                s.extend(List.of(2L), Extension.nextStep(16));
                String last = s.extend(List.of(2L), Extension.nextStep(16)).getFirst().text();
                s.close();
                return last + "|" + sum;
            }, r -> Thread.ofVirtual().start(r)));
        }
        assertThat(answers).allSatisfy(f -> {
            String[] parts = f.join().split("\\|");
            assertThat(parts[0]).isEqualTo("A: " + parts[1]);
        });
    }
}
