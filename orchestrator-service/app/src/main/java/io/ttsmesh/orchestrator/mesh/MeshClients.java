package io.ttsmesh.orchestrator.mesh;

import io.grpc.Deadline;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Vertx;
import io.ttsmesh.orchestrator.OrchestratorConfig;
import io.ttsmesh.orchestrator.solving.SearchSettingsFactory;
import io.ttsmesh.proto.generator.DescribeRequest;
import io.ttsmesh.proto.generator.GeneratorGrpc;
import io.ttsmesh.proto.verifier.VerifierGrpc;
import io.ttsmesh.search.generation.GenerationSessions;
import io.ttsmesh.search.scoring.StepScorer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The orchestrator's view of the mesh: the generator and verifier pods, the gRPC clients over them that
 * implement the search ports, and a periodic probe (Describe) that re-resolves names and marks pods
 * reachable or not for readiness and for the choice of pod.
 */
@ApplicationScoped
public class MeshClients {

    private static final long PROBE_TIMEOUT_MS = 2000;

    private final EndpointGroup generators;
    private final EndpointGroup verifiers;
    private final GrpcGenerationSessions sessions;
    private final GrpcStepScorer scorer;

    MeshClients(OrchestratorConfig config, SearchSettingsFactory search, TlsConfigurationRegistry tls, Vertx vertx,
                io.micrometer.core.instrument.MeterRegistry registry) {
        var g = config.generators();
        var v = config.verifiers();
        this.generators = new EndpointGroup("generator", g.addresses(), channels(g.tlsConfigurationName(), tls, vertx));
        this.verifiers = new EndpointGroup("verifier", v.addresses(), channels(v.tlsConfigurationName(), tls, vertx));
        this.sessions = new GrpcGenerationSessions(generators, g.closeGrace(), search.settings().stepDelimiter(),
                g.breakerFailures(), g.breakerDelay());
        io.micrometer.core.instrument.FunctionCounter.builder("tts.orchestrator.generator.failovers", sessions,
                GrpcGenerationSessions::failovers).description("sessions moved to another generator after theirs went away").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tts.orchestrator.generator.reprefill.tokens", sessions,
                GrpcGenerationSessions::reprefillTokens).description("prompt tokens prefilled again by those moves").register(registry);
        this.scorer = new GrpcStepScorer(verifiers, v.callTimeout(), v.retries(), v.retryDelay(),
                v.breakerWindow(), v.breakerFailureRatio(), v.breakerDelay());
    }

    private static ChannelFactory channels(Optional<String> name, TlsConfigurationRegistry registry, Vertx vertx) {
        if (name.isEmpty() || name.get().isBlank()) {
            return ChannelFactory.PLAINTEXT;
        }
        TlsConfiguration tls = registry.get(name.get()).orElseThrow(() -> new IllegalStateException(
                "TLS configuration '" + name.get() + "' is not defined (quarkus.tls." + name.get() + ".*)"));
        return ChannelFactory.tls(name.get(), tls, vertx);
    }

    @Produces
    @Singleton
    GenerationSessions generationSessions() {
        return sessions;
    }

    @Produces
    @Singleton
    StepScorer stepScorer() {
        return scorer;
    }

    public EndpointGroup generators() {
        return generators;
    }

    public EndpointGroup verifiers() {
        return verifiers;
    }

    @Scheduled(every = "${tts.orchestrator.generators.refresh-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probe() {
        generators.refresh();
        verifiers.refresh();
        for (Endpoint e : generators.endpoints()) {
            try {
                var info = GeneratorGrpc.newBlockingStub(e.channel())
                        .withDeadline(Deadline.after(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                        .describe(DescribeRequest.getDefaultInstance());
                e.probed(info.getInstance());
            } catch (RuntimeException ex) {
                e.probeFailed(ex.getMessage());
            }
        }
        for (Endpoint e : verifiers.endpoints()) {
            try {
                var info = VerifierGrpc.newBlockingStub(e.channel())
                        .withDeadline(Deadline.after(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                        .describe(io.ttsmesh.proto.verifier.DescribeRequest.getDefaultInstance());
                e.probed(info.getInstance());
            } catch (RuntimeException ex) {
                e.probeFailed(ex.getMessage());
            }
        }
    }

    void shutdown(@Observes ShutdownEvent event) {
        generators.shutdown();
        verifiers.shutdown();
    }
}
