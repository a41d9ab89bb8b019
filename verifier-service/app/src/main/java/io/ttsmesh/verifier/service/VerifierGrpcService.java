package io.ttsmesh.verifier.service;

import io.grpc.Context;
import io.grpc.Deadline;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.ttsmesh.proto.verifier.DescribeRequest;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.Verifier;
import io.ttsmesh.proto.verifier.VerifierCatalog;
import io.ttsmesh.verifier.VerifierEngine;

import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The Verifier gRPC service: ScoreSteps and Describe over the scoring engine. Calls run on a worker
 * thread (tokenizing many candidates is no work for the event loop) and are answered asynchronously when
 * their micro-batches are done; the caller's gRPC deadline travels with the candidates, so ones still
 * queued when it passes are not run.
 */
@GrpcService
public class VerifierGrpcService implements Verifier {

    private final VerifierEngineHolder holder;
    private final VerifierConfig config;

    public VerifierGrpcService(VerifierEngineHolder holder, VerifierConfig config) {
        this.holder = holder;
        this.config = config;
    }

    @Override
    @Blocking
    public Uni<ScoreResponse> scoreSteps(ScoreRequest request) {
        try {
            VerifierEngine engine = holder.engine();
            return Uni.createFrom().completionStage(engine.score(ProtoMapping.request(request), deadline()))
                    .map(results -> ProtoMapping.response(request.getRequestId(), results))
                    .onFailure().transform(ProtoMapping::status);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(ProtoMapping.status(e));
        }
    }

    private Instant deadline() {
        Deadline d = Context.current().getDeadline();
        return d == null ? Instant.now().plus(config.defaultDeadline())
                : Instant.now().plusNanos(d.timeRemaining(TimeUnit.NANOSECONDS));
    }

    @Override
    public Uni<VerifierCatalog> describe(DescribeRequest request) {
        try {
            VerifierEngine engine = holder.engine();
            VerifierCatalog.Builder catalog = VerifierCatalog.newBuilder().setInstance(instance())
                    .setTask(engine.task());
            engine.describe().forEach(i -> catalog.addVerifiers(ProtoMapping.info(i)));
            return Uni.createFrom().item(catalog.build());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(ProtoMapping.status(e));
        }
    }

    private String instance() {
        return config.instance().orElseGet(() -> {
            String host = System.getenv("HOSTNAME");
            if (host != null && !host.isBlank()) {
                return host;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                return "verifier";
            }
        });
    }
}
