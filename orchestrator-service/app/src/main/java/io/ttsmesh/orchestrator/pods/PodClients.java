package io.ttsmesh.orchestrator.pods;

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
import io.ttsmesh.task.TaskRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The orchestrator's view of the mesh: per served task, its generator and verifier pods and the gRPC clients
 * over them that implement the search ports; and a periodic probe (Describe) that re-resolves names and marks
 * pods reachable or not for readiness and for the choice of pod. The default task's ({@code tts.orchestrator.task})
 * pods are {@code tts.orchestrator.generators/verifiers}, another task's {@code tts.orchestrator.tasks.<name>.*}.
 */
@ApplicationScoped
public class PodClients {

    private static final long PROBE_TIMEOUT_MS = 2000;

    private final Map<String, TaskPods> tasks = new LinkedHashMap<>();
    private final String defaultTask;

    PodClients(OrchestratorConfig config, SearchSettingsFactory search, TlsConfigurationRegistry tls, Vertx vertx,
                io.micrometer.core.instrument.MeterRegistry registry) {
        var g = config.generators();
        var v = config.verifiers();
        this.defaultTask = defaultTask(config.task(), TaskRegistry.load());
        tasks.put(defaultTask, mesh(defaultTask, "", g.addresses(), g.tlsConfigurationName(),
                v.addresses(), v.tlsConfigurationName(), config, search, tls, vertx));
        config.tasks().forEach((name, pods) -> {
            if (tasks.containsKey(name)) {
                throw new IllegalStateException("tts.orchestrator.tasks." + name + ": " + name + " is the default task "
                        + "(tts.orchestrator.task), whose pods are tts.orchestrator.generators.addresses and "
                        + "tts.orchestrator.verifiers.addresses");
            }
            tasks.put(name, mesh(name, name + " ", pods.generators().addresses(),
                    pods.generators().tlsConfigurationName().or(g::tlsConfigurationName),
                    pods.verifiers().addresses(), pods.verifiers().tlsConfigurationName().or(v::tlsConfigurationName),
                    config, search, tls, vertx));
        });
        io.micrometer.core.instrument.FunctionCounter.builder("tts.orchestrator.generator.failovers", this,
                m -> m.sum(GrpcGenerationSessions::failovers)).description("sessions moved to another generator after theirs went away").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tts.orchestrator.generator.reprefill.tokens", this,
                m -> m.sum(GrpcGenerationSessions::reprefillTokens)).description("prompt tokens prefilled again by those moves").register(registry);
    }

    /** The configured default task, checked against the tasks on the class path. */
    static String defaultTask(String configured, TaskRegistry registry) {
        String name = configured == null ? "" : configured.strip();
        if (!registry.contains(name)) {
            throw new IllegalStateException("tts.orchestrator.task: unknown task '" + name + "' (known: "
                    + String.join(", ", registry.names()) + ")");
        }
        return name;
    }

    private static TaskPods mesh(String task, String kindPrefix, List<String> generatorAddresses,
                                 Optional<String> generatorTls, List<String> verifierAddresses, Optional<String> verifierTls,
                                 OrchestratorConfig config, SearchSettingsFactory search, TlsConfigurationRegistry tls,
                                 Vertx vertx) {
        var g = config.generators();
        var v = config.verifiers();
        var generators = new EndpointGroup(kindPrefix + "generator", generatorAddresses, channels(generatorTls, tls, vertx));
        var verifiers = new EndpointGroup(kindPrefix + "verifier", verifierAddresses, channels(verifierTls, tls, vertx));
        var sessions = new GrpcGenerationSessions(generators, g.closeGrace(), search.settings().stepDelimiter(),
                g.breakerFailures(), g.breakerDelay(), g.spareStreams() ? config.limits().maxDeadline() : null);
        var scorer = new GrpcStepScorer(verifiers, task, v.callTimeout(), v.retries(), v.retryDelay(),
                v.breakerWindow(), v.breakerFailureRatio(), v.breakerDelay());
        return new TaskPods(task, generators, verifiers, sessions, scorer);
    }

    private static ChannelFactory channels(Optional<String> name, TlsConfigurationRegistry registry, Vertx vertx) {
        if (name.isEmpty() || name.get().isBlank()) {
            return ChannelFactory.PLAINTEXT;
        }
        TlsConfiguration tls = registry.get(name.get()).orElseThrow(() -> new IllegalStateException(
                "TLS configuration '" + name.get() + "' is not defined (quarkus.tls." + name.get() + ".*)"));
        return ChannelFactory.tls(name.get(), tls, vertx);
    }

    private double sum(java.util.function.ToLongFunction<GrpcGenerationSessions> counter) {
        return tasks.values().stream().mapToLong(t -> counter.applyAsLong(t.sessions())).sum();
    }

    /** Every served task's pods and clients, the default task first. */
    public Collection<TaskPods> tasks() {
        return tasks.values();
    }

    /** The default task ({@code tts.orchestrator.task}): that of the top-level pods and of requests naming none. */
    public String defaultTask() {
        return defaultTask;
    }

    /** The default task's generator pods. */
    public EndpointGroup generators() {
        return tasks.get(defaultTask).generators();
    }

    /** The default task's verifier pods. */
    public EndpointGroup verifiers() {
        return tasks.get(defaultTask).verifiers();
    }

    @Scheduled(every = "${tts.orchestrator.generators.refresh-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probe() {
        for (TaskPods task : tasks.values()) {
            task.refresh();
            probe(task);
        }
    }

    private static void probe(TaskPods task) {
        for (Endpoint e : task.generators().endpoints()) {
            try {
                var info = GeneratorGrpc.newBlockingStub(e.channel())
                        .withDeadline(Deadline.after(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                        .describe(DescribeRequest.getDefaultInstance());
                e.probed(info.getInstance());
            } catch (RuntimeException ex) {
                e.probeFailed(ex.getMessage());
            }
        }
        for (Endpoint e : task.verifiers().endpoints()) {
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
        tasks.values().forEach(TaskPods::shutdown);
    }
}
