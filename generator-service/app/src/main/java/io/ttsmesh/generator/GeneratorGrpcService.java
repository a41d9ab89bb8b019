package io.ttsmesh.generator;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.ttsmesh.proto.generator.DescribeRequest;
import io.ttsmesh.proto.generator.Generator;
import io.ttsmesh.proto.generator.ModelInfo;
import io.ttsmesh.proto.generator.SessionCommand;
import io.ttsmesh.proto.generator.SessionEvent;

@GrpcService
public class GeneratorGrpcService implements Generator {

    @Override
    public Multi<SessionEvent> session(Multi<SessionCommand> request) {
        return Multi.createFrom().failure(io.grpc.Status.UNIMPLEMENTED.withDescription("engine not wired yet").asRuntimeException());
    }

    @Override
    public Uni<ModelInfo> describe(DescribeRequest request) {
        return Uni.createFrom().item(ModelInfo.newBuilder().setModel("none").build());
    }
}
