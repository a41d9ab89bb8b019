package io.ttsmesh.orchestrator.pods;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.mesh.local.JavaCommand;
import io.ttsmesh.mesh.local.PrometheusText;
import io.ttsmesh.mesh.local.ServiceProcess;
import io.ttsmesh.orchestrator.testing.KafkaBrokerResource;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sequential round trips per search, counted by the services themselves: the real generator and verifier
 * (their fast-jars, the bundled test-bed models) in their own JVMs on loopback, the production clients and the
 * real search engine. The generator counts the commands its client waited for and the ones sent pipelined
 * (Closed.awaited_commands / pipelined_commands, tts_generator_session_commands_total); the verifier counts
 * score requests (tts_verifier_requests_total) and, of those, the ones sent ahead while the step's other branches
 * were still generating (tts_verifier_requests_ahead_total), which the search does not wait for one after another.
 * "Before" is what the same searches cost when every command and request was waited for, as the client did before
 * pipelining: awaited + pipelined + verifier.
 */
@QuarkusTest // SmallRye Fault Tolerance's guards (GrpcStepScorer) need the container; its scripted mesh is not used.
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class RoundTripsTest {

    private static final List<String> QUESTIONS = List.of("(17+25)*3-14", "12+7*3", "(8-3)*4+6");

    private static ServiceProcess generator;
    private static ServiceProcess verifier;
    private static EndpointGroup generators;
    private static EndpointGroup verifiers;
    private static GrpcGenerationSessions sessions;
    private static SearchRunner runner;
    private static final StringBuilder table = new StringBuilder();

    /** Per search: the generator's awaited and pipelined commands, verifier requests (sent ahead among them), wall time. */
    record Count(String strategy, double awaited, double pipelined, double verifier, double ahead, double ms) {
        double after() {
            return awaited + verifier - ahead;
        }

        double before() {
            return awaited + pipelined + verifier;
        }
    }

    @BeforeAll
    static void startServices() throws Exception {
        Path root = repositoryRoot();
        generator = start("generator", "generator-service/app", Map.of(
                "tts.generator.model-dir", root.resolve("models/generator").toString(),
                "tts.generator.instance", "gen-round-trips"));
        verifier = start("verifier", "verifier-service/app", Map.of(
                "tts.verifier.model.dir", root.resolve("models/prm").toString(),
                "tts.verifier.instance", "ver-round-trips"));
        generators = new EndpointGroup("generator", List.of("localhost:" + generator.grpcPort()));
        verifiers = new EndpointGroup("verifier", List.of("localhost:" + verifier.grpcPort()));
        sessions = new GrpcGenerationSessions(generators, Duration.ofSeconds(5), "\n", 3, Duration.ofSeconds(5));
        GrpcStepScorer scorer = new GrpcStepScorer(verifiers, Duration.ofSeconds(30), 2, Duration.ofMillis(20), 10, 0.5,
                Duration.ofSeconds(5));
        runner = new SearchRunner(sessions, scorer, SearchSettings.defaults());
        table.append("| strategy | generator awaited | generator pipelined | verifier | verifier sent ahead | round trips before "
                        + "| after | ms/search |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    }

    @AfterAll
    static void stopServices() throws Exception {
        if (generators != null) {
            generators.shutdown();
            verifiers.shutdown();
        }
        if (generator != null) {
            generator.child().close();
        }
        if (verifier != null) {
            verifier.child().close();
        }
        Files.writeString(Path.of("target/round-trips.md"), table.toString());
        System.out.println("Sequential round trips per search (counted by the services):\n" + table);
    }

    /** The checkout's root (the models directory's parent, as the build passes it). */
    private static Path repositoryRoot() {
        String models = System.getProperty("ttsmesh.models.dir");
        return (models != null ? Path.of(models).toAbsolutePath().getParent() : Path.of("../..").toAbsolutePath()).normalize();
    }

    /** A service's built fast-jar in its own JVM through the mesh's child-process harness, ready within 2 minutes. */
    private static ServiceProcess start(String name, String module, Map<String, String> properties) throws Exception {
        Path root = repositoryRoot();
        Path work = Path.of("target").toAbsolutePath().resolve("round-trips-" + name);
        Files.createDirectories(work);
        JavaCommand java = new JavaCommand(root.resolve("mesh/local/target/mesh-local-watchdog.jar"), work)
                .jvm("-Xmx768m", "-XX:TieredStopAtLevel=1");
        return ServiceProcess.start(name, root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar"), java,
                properties, work.resolve("service.log"), work, Duration.ofMinutes(2));
    }

    /** The sum of a metric's samples whose labels contain {@code label}, read from the service's /q/metrics. */
    private static double metric(ServiceProcess service, String name, String label) {
        return PrometheusText.value(service.metrics(), name, label).orElse(0);
    }

    private Count measure(String strategy, Map<String, String> params) throws Exception {
        double genAwaited = metric(generator, "tts_generator_session_commands_total", "awaited=\"true\"");
        double genPipelined = metric(generator, "tts_generator_session_commands_total", "awaited=\"false\"");
        double verRequests = metric(verifier, "tts_verifier_requests_total", "");
        double verStream = metric(verifier, "tts_verifier_requests_total", "transport=\"stream\"");
        double verAhead = metric(verifier, "tts_verifier_requests_ahead_total", "");
        long closedBefore = sessions.closedSessions();
        long awaitedBefore = sessions.awaitedCommands();
        long t0 = System.nanoTime();
        for (int i = 0; i < QUESTIONS.size(); i++) {
            SearchRequest request = new SearchRequest("rt-" + strategy + "-" + i, QUESTIONS.get(i),
                    MethodSpec.of(strategy, params), List.of(), new Budget(50_000, 5_000, Duration.ofSeconds(120)),
                    SamplingParams.defaults().withSeed(1000L + i), "", Aggregation.LAST);
            SearchResult result = runner.run(request, e -> {
            });
            assertThat(result.stopReason()).as(strategy + ": " + result.stopDetail()).isNotEqualTo(StopReason.FAILED);
        }
        double ms = (System.nanoTime() - t0) / 1e6 / QUESTIONS.size();
        int n = QUESTIONS.size();
        double awaited = metric(generator, "tts_generator_session_commands_total", "awaited=\"true\"") - genAwaited;
        double pipelined = metric(generator, "tts_generator_session_commands_total", "awaited=\"false\"") - genPipelined;
        double scored = metric(verifier, "tts_verifier_requests_total", "") - verRequests;
        double ahead = metric(verifier, "tts_verifier_requests_ahead_total", "") - verAhead;
        // The generator's per-session account (Closed) agrees with its pod-wide counter, and every scoring batch
        // went over the long-lived stream.
        assertThat(sessions.closedSessions() - closedBefore).isEqualTo(n);
        assertThat((double) (sessions.awaitedCommands() - awaitedBefore)).isEqualTo(awaited);
        assertThat(metric(verifier, "tts_verifier_requests_total", "transport=\"stream\"") - verStream).isEqualTo(scored);
        Count count = new Count(strategy, awaited / n, pipelined / n, scored / n, ahead / n, ms);
        table.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | **%.1f** | %.0f |%n",
                params.isEmpty() ? strategy : strategy + " " + params, count.awaited(), count.pipelined(),
                count.verifier(), count.ahead(), count.before(), count.after(), count.ms()));
        return count;
    }

    @Test
    void beamSearchDvtsAndParticleFilteringAtN16TakeAtMost12RoundTrips() throws Exception {
        for (var strategy : List.of(
                Map.entry("beam_search", Map.of("n", "16", "width", "4")),
                Map.entry("dvts", Map.of("n", "16", "width", "4")),
                Map.entry("particle_filter", Map.of("n", "16")))) {
            Count count = measure(strategy.getKey(), strategy.getValue());
            assertThat(count.after()).as(strategy.getKey()).isLessThanOrEqualTo(12);
            assertThat(count.pipelined()).as(strategy.getKey() + " pipelines its forks and cancels").isPositive();
        }
    }

    /**
     * What one awaited round trip costs on loopback with nothing to compute: an empty Cancel on a session stream
     * (client thread, event loops, the generator's engine thread and back) and a one-candidate "rules" score on
     * the shared ScoreStream versus a unary ScoreSteps call (a new HTTP/2 stream each).
     */
    @Test
    void anAwaitedRoundTripCostsWellUnderAMillisecondOrSoOnLoopback() throws Exception {
        int rounds = 300;
        SessionStream stream = sessions.reopen("rt-latency", java.util.Set.of(), java.time.Instant.now().plusSeconds(60));
        long[] generator = new long[rounds];
        try {
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                try (var command = stream.send(io.ttsmesh.proto.generator.SessionCommand.newBuilder()
                        .setCancel(io.ttsmesh.proto.generator.Cancel.getDefaultInstance()))) {
                    assertThat(command.next(java.time.Instant.now().plusSeconds(10)).hasCancelled()).isTrue();
                }
                generator[i] = System.nanoTime() - t0;
            }
        } finally {
            stream.cancel("done");
        }
        var request = io.ttsmesh.proto.verifier.ScoreRequest.newBuilder().setRequestId("rt-latency").setVerifier("rules")
                .setQuestion("2+3").addCandidates(io.ttsmesh.proto.verifier.Candidate.newBuilder().setId("a")
                        .addSteps("2+3=5").addSteps("A: 5"));
        Endpoint pod = verifiers.endpoints().getFirst();
        ScoreStream scoreStream = new ScoreStream(pod);
        long[] streamed = new long[rounds];
        long[] unary = new long[rounds];
        var stub = io.ttsmesh.proto.verifier.VerifierGrpc.newBlockingStub(pod.channel());
        try {
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                var call = scoreStream.send(request.clone());
                assertThat(call.answer().get(10, java.util.concurrent.TimeUnit.SECONDS).getErrorCode()).isZero();
                long t1 = System.nanoTime();
                assertThat(stub.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS).scoreSteps(request.build())
                        .getResultsCount()).isEqualTo(1);
                streamed[i] = t1 - t0;
                unary[i] = System.nanoTime() - t1;
            }
        } finally {
            scoreStream.close();
        }
        emptyCommandRoundTrip(false, rounds); // warm-up of both paths, so neither is measured cold
        emptyCommandRoundTrip(true, rounds);
        double pooled = emptyCommandRoundTrip(false, rounds);
        double direct = emptyCommandRoundTrip(true, rounds);
        double gen = median(generator);
        double str = median(streamed);
        double una = median(unary);
        table.append(String.format(Locale.ROOT, "%nms per awaited round trip on loopback with nothing to compute (median of %d): "
                + "generator session command %.3f, verifier ScoreStream request %.3f, verifier unary ScoreSteps %.3f%n",
                rounds, gen, str, una));
        table.append(String.format(Locale.ROOT, "the same generator round trip on a bare stream whose answers are delivered "
                + "on a pool thread (gRPC's default executor) %.3f, on the event loop (directExecutor, as ChannelFactory "
                + "builds channels) %.3f%n", pooled, direct));
        assertThat(gen).isLessThan(20);
        assertThat(str).isLessThan(20);
    }

    /**
     * Median ms of an empty awaited Cancel on a bare Session stream, its answers delivered on the Netty event loop
     * ({@code direct}) or handed to gRPC's default executor first: the hop directExecutor saves.
     */
    private static double emptyCommandRoundTrip(boolean direct, int rounds) throws Exception {
        var builder = io.grpc.netty.NettyChannelBuilder.forTarget("localhost:" + generator.grpcPort()).usePlaintext();
        if (direct) {
            builder.directExecutor();
        }
        io.grpc.ManagedChannel channel = builder.build();
        var answers = new java.util.concurrent.LinkedBlockingQueue<io.ttsmesh.proto.generator.SessionEvent>();
        try {
            var commands = io.ttsmesh.proto.generator.GeneratorGrpc.newStub(channel).session(
                    new io.grpc.stub.StreamObserver<>() {
                        @Override
                        public void onNext(io.ttsmesh.proto.generator.SessionEvent event) {
                            answers.add(event);
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            long[] nanos = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                commands.onNext(io.ttsmesh.proto.generator.SessionCommand.newBuilder().setRequestId("hop-" + direct)
                        .setCommandId(i + 1).setCancel(io.ttsmesh.proto.generator.Cancel.getDefaultInstance()).build());
                assertThat(answers.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
                nanos[i] = System.nanoTime() - t0;
            }
            commands.onCompleted();
            return median(nanos);
        } finally {
            channel.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    /**
     * MCTS and best-first expand one node at a time in their papers; one at a time and without pipelining
     * ({@code parallel=1}, every command awaited: the "before" column) against their defaults (two nodes per
     * round in one generator and one verifier call, forks and cancels pipelined).
     */
    @Test
    void mctsAndBestFirstHalveTheirRoundTrips() throws Exception {
        for (String strategy : List.of("mcts", "best_first")) {
            Count oneAtATime = measure(strategy, Map.of("parallel", "1"));
            Count count = measure(strategy, Map.of());
            assertThat(count.after()).as(strategy).isLessThanOrEqualTo(oneAtATime.before() / 2);
        }
    }
}
