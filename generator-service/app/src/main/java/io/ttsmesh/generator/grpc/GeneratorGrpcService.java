package io.ttsmesh.generator.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.proto.generator.DescribeRequest;
import io.ttsmesh.proto.generator.Generator;
import io.ttsmesh.proto.generator.ModelInfo;
import io.ttsmesh.proto.generator.SessionCommand;
import io.ttsmesh.proto.generator.SessionEvent;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;

/** The Generator gRPC service: one engine session per Session stream. */
@GrpcService
public class GeneratorGrpcService implements Generator {

    @Inject
    GeneratorEngine engine;

    @Inject
    SessionRoundTrips roundTrips;

    @Override
    public Multi<SessionEvent> session(Multi<SessionCommand> commands) {
        // Events are few per command (one per branch per Extend), so buffering them for a slow reader is bounded
        // by the commands the client sent.
        return Multi.createFrom().emitter(out -> {
            SessionBridge bridge = new SessionBridge(engine, out, roundTrips, Vertx.currentContext());
            out.onTermination(bridge::onTermination);
            commands.subscribe().with(bridge::onCommand, bridge::onClientGone, bridge::onClientDone);
        }, BackPressureStrategy.BUFFER);
    }

    @Override
    public Uni<ModelInfo> describe(DescribeRequest request) {
        return Uni.createFrom().item(() -> ProtoMapping.modelInfo(engine.describe()));
    }
}
