package io.ttsmesh.bench.generator;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.ttsmesh.generator.engine.Command;
import io.ttsmesh.generator.engine.ErrorCode;
import io.ttsmesh.generator.engine.Event;
import io.ttsmesh.generator.engine.StepEnd;
import io.ttsmesh.mesh.local.JavaCommand;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.local.ServiceProcess;
import io.ttsmesh.proto.generator.Close;
import io.ttsmesh.proto.generator.Extend;
import io.ttsmesh.proto.generator.GeneratorGrpc;
import io.ttsmesh.proto.generator.Sampling;
import io.ttsmesh.proto.generator.SessionCommand;
import io.ttsmesh.proto.generator.SessionEvent;
import io.ttsmesh.proto.generator.Start;
import io.ttsmesh.proto.generator.Until;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The generator service as it is deployed: its built jar started as a separate process, driven over a
 * loopback gRPC Session stream.
 */
final class ServiceOverGrpc implements DecodePath {

    private final ServiceProcess service;
    private final ManagedChannel channel;
    private final GeneratorGrpc.GeneratorStub stub;
    private int sessions;

    ServiceOverGrpc(Path jar, Path modelDir, int threads, Path log) {
        service = ServiceProcess.start("generator service", jar,
                new JavaCommand(MeshLayout.locate().watchdogAgent(), log.getParent()),
                Map.of("tts.generator.model-dir", modelDir.toAbsolutePath().toString(),
                        "tts.generator.intra-op-threads", Integer.toString(threads)),
                log, log.getParent(), Duration.ofMinutes(3));
        channel = ManagedChannelBuilder.forAddress("localhost", service.grpcPort()).usePlaintext().build();
        stub = GeneratorGrpc.newStub(channel);
    }

    @Override
    public String name() {
        return "generator service over gRPC";
    }

    @Override
    public Measurement run(Workload workload, int branches) throws Exception {
        String requestId = "bench-" + (++sessions);
        LinkedBlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();
        StreamObserver<SessionCommand> commands = stub.session(new StreamObserver<>() {
            @Override
            public void onNext(SessionEvent value) {
                events.add(value);
            }

            @Override
            public void onError(Throwable t) {
                events.add(SessionEvent.newBuilder().setError(io.ttsmesh.proto.generator.CommandError.newBuilder()
                        .setCode(13).setMessage(String.valueOf(t))).build());
            }

            @Override
            public void onCompleted() {
            }
        });
        try {
            return StepProtocol.run((command, answers, each) -> {
                commands.onNext(proto(requestId, command));
                long first = 0;
                for (int i = 0; i < answers; i++) {
                    SessionEvent e = events.poll(10, TimeUnit.MINUTES);
                    if (e == null) {
                        throw new IllegalStateException("no answer to " + command);
                    }
                    if (i == 0) {
                        first = System.nanoTime();
                    }
                    each.accept(event(e));
                }
                return first;
            }, workload, branches, service.child().handle());
        } finally {
            commands.onCompleted();
        }
    }

    private static SessionCommand proto(String requestId, Command command) {
        SessionCommand.Builder b = SessionCommand.newBuilder().setRequestId(requestId).setCommandId(command.commandId());
        switch (command) {
            case Command.Start s -> b.setStart(Start.newBuilder().setPrompt(s.prompt()).addAllBranchIds(s.branchIds())
                    .setSampling(Sampling.newBuilder().setTemperature(s.sampling().temperature()).setTopP(1f).setTopK(0)
                            .setSeed(s.sampling().seed())));
            case Command.Extend e -> b.setExtend(Extend.newBuilder().addAllBranchIds(e.branchIds()).setMaxTokens(e.maxTokens())
                    .setUntil(e.toEnd() ? Until.TO_END : Until.NEXT_STEP).setSuppressEos(e.suppressEos()));
            case Command.Close c -> b.setClose(Close.getDefaultInstance());
            default -> throw new IllegalArgumentException("not used by the benchmark: " + command);
        }
        return b.build();
    }

    private static Event event(SessionEvent e) {
        return switch (e.getEventCase()) {
            case STARTED -> new Event.Started(e.getCommandId(), e.getStarted().getBranchIdsList(),
                    e.getStarted().getPromptTokens());
            case STEP -> new Event.Step(e.getCommandId(), e.getStep().getBranchId(), e.getStep().getText(),
                    e.getStep().getTokenIdsList().stream().mapToInt(Integer::intValue).toArray(), List.of(),
                    e.getStep().getMeanLogprob(), StepEnd.valueOf(e.getStep().getEnd().name()), e.getStep().getFinished(),
                    e.getStep().getLength());
            case CLOSED -> new Event.Closed(e.getCommandId(), e.getClosed().getBranchesFreed(),
                    e.getClosed().getGeneratedTokens(), e.getClosed().getPrefillTokens());
            default -> new Event.Failed(e.getCommandId(), ErrorCode.INTERNAL, e.toString(), List.of());
        };
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        service.child().stop(Duration.ofSeconds(20));
    }
}
