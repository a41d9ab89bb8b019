package io.ttsmesh.verifier;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.ttsmesh.proto.verifier.DescribeRequest;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.Verifier;
import io.ttsmesh.proto.verifier.VerifierCatalog;

@GrpcService
public class VerifierGrpcService implements Verifier {

    @Override
    public Uni<ScoreResponse> scoreSteps(ScoreRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.withDescription("scoring not wired yet").asRuntimeException());
    }

    @Override
    public Uni<VerifierCatalog> describe(DescribeRequest request) {
        return Uni.createFrom().item(VerifierCatalog.getDefaultInstance());
    }
}
