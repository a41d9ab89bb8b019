package io.ttsmesh.generator.grpc;

import io.grpc.Channel;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.proto.generator.Append;
import io.ttsmesh.proto.generator.Cancel;
import io.ttsmesh.proto.generator.Close;
import io.ttsmesh.proto.generator.DescribeRequest;
import io.ttsmesh.proto.generator.Extend;
import io.ttsmesh.proto.generator.Fork;
import io.ttsmesh.proto.generator.GeneratorGrpc;
import io.ttsmesh.proto.generator.Probe;
import io.ttsmesh.proto.generator.Sampling;
import io.ttsmesh.proto.generator.SessionCommand;
import io.ttsmesh.proto.generator.SessionEvent;
import io.ttsmesh.proto.generator.Start;
import io.ttsmesh.proto.generator.Step;
import io.ttsmesh.proto.generator.StepEnd;
import io.ttsmesh.proto.generator.Until;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.LongStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** The Session stream over real loopback gRPC, on the bundled test-bed model. */
@QuarkusTest
class GeneratorSessionGrpcTest {

    private static final String PROMPT = "Q: 53+(50+20)\n";

    @GrpcClient("self")
    Channel channel;

    @GrpcClient("self")
    GeneratorGrpc.GeneratorBlockingStub describe;

    GeneratorGrpc.GeneratorStub generator;

    @BeforeEach
    void stub() {
        generator = GeneratorGrpc.newStub(channel);
    }

    @AfterEach
    void everyBranchFreed() {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (describe.describe(DescribeRequest.getDefaultInstance()).getLiveBranches() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(describe.describe(DescribeRequest.getDefaultInstance()).getLiveBranches()).isZero();
        given().get("/q/metrics").then().statusCode(200).body(containsString("tts_generator_live_branches 0.0"));
    }

    private static SessionCommand start(GrpcSession s, String prompt, Sampling sampling, long... ids) {
        return s.command().setStart(Start.newBuilder().setPrompt(prompt).setSampling(sampling)
                .addAllBranchIds(LongStream.of(ids).boxed().toList())).build();
    }

    private static SessionCommand extend(GrpcSession s, int maxTokens, Until until, long... ids) {
        return s.command().setExtend(Extend.newBuilder().setMaxTokens(maxTokens).setUntil(until)
                .addAllBranchIds(LongStream.of(ids).boxed().toList())).build();
    }

    private static SessionCommand with(GrpcSession s, Consumer<SessionCommand.Builder> body) {
        SessionCommand.Builder b = s.command();
        body.accept(b);
        return b.build();
    }

    private static void assertError(SessionEvent event, Status.Code code, String mentions) {
        assertThat(event.hasError()).as(event.toString()).isTrue();
        assertThat(event.getError().getCode()).as(event.toString()).isEqualTo(code.value());
        assertThat(event.getError().getMessage()).contains(mentions);
    }

    @Test
    void describesTheModelAndThePod() {
        var info = describe.describe(DescribeRequest.getDefaultInstance());
        assertThat(info.getModel()).isEqualTo("generator");
        assertThat(info.getContextLength()).isEqualTo(256);
        assertThat(info.getVocabSize()).isEqualTo(25);
        assertThat(info.getStepDelimiter()).isEqualTo("\n");
        assertThat(info.getExecutionProvider()).isEqualTo("cpu");
        assertThat(info.getInstance()).isEqualTo("test");
        assertThat(info.getMaxStepTokens()).isEqualTo(512);
        assertThat(info.getMaxTopLogprobs()).isEqualTo(20);
    }

    @Test
    void aClientThatAcceptsStepBatchesGetsEveryStepOnceInFewerEvents() {
        long[] ids = LongStream.rangeClosed(1, 16).toArray();
        int steps = 0;
        int events = 0;
        for (boolean batches : new boolean[] {false, true}) {
            GrpcSession s = GrpcSession.open(generator, "batches-" + batches);
            s.call(with(s, b -> b.setAcceptsStepBatches(batches).setStart(Start.newBuilder().setPrompt(PROMPT)
                    .setSampling(Sampling.newBuilder().setTemperature(1f).setSeed(3)).addAllBranchIds(LongStream.of(ids).boxed().toList()))));
            // Every branch stops at its 4-token quota in the same decode step: 16 Steps ready at once, three times.
            for (int round = 0; round < 3; round++) {
                long command = s.send(extend(s, 4, Until.NEXT_STEP, ids));
                List<Long> answered = new java.util.ArrayList<>();
                while (answered.size() < ids.length) {
                    SessionEvent e = s.await(command, 1).getFirst();
                    List<Step> got = e.hasSteps() ? e.getSteps().getStepsList() : List.of(e.getStep());
                    if (!batches) {
                        assertThat(e.hasSteps()).as("a StepBatch only to a client that accepts them").isFalse();
                    }
                    got.forEach(step -> answered.add(step.getBranchId()));
                    if (batches) {
                        events++;
                        steps += got.size();
                    }
                }
                assertThat(answered).containsExactlyInAnyOrderElementsOf(LongStream.of(ids).boxed().toList());
            }
            s.call(with(s, b -> b.setClose(Close.getDefaultInstance())));
            assertThat(s.end().isOk()).isTrue();
        }
        assertThat(steps).isEqualTo(3 * ids.length);
        assertThat(events).as("steps ready together share an event").isLessThan(steps);
    }

    @Test
    void anExtendThatOmitsTokenLogprobsGetsTheSameStepsWithOnlyTheirMeans() {
        List<Step> full = new java.util.ArrayList<>();
        List<Step> lean = new java.util.ArrayList<>();
        double[] sessionBytes = new double[2];
        for (boolean omit : new boolean[] {false, true}) {
            double before = eventBytesSent();
            GrpcSession s = GrpcSession.open(generator, "omit-" + omit);
            s.call(start(s, PROMPT, Sampling.newBuilder().setTemperature(1f).setSeed(11).build(), 1, 2, 3));
            SessionCommand.Builder extend = extend(s, 64, Until.TO_END, 1, 2, 3).toBuilder();
            extend.getExtendBuilder().setOmitTokenLogprobs(omit);
            for (SessionEvent e : s.call(extend.build(), 3)) {
                (omit ? lean : full).add(e.getStep());
            }
            s.call(with(s, b -> b.setClose(Close.getDefaultInstance())));
            assertThat(s.end().isOk()).isTrue();
            sessionBytes[omit ? 1 : 0] = eventBytesSent() - before;
        }
        full.sort(java.util.Comparator.comparingLong(Step::getBranchId));
        lean.sort(java.util.Comparator.comparingLong(Step::getBranchId));
        for (int i = 0; i < full.size(); i++) {
            Step f = full.get(i);
            Step l = lean.get(i);
            assertThat(l.getText()).isEqualTo(f.getText());
            assertThat(l.getTokenIdsList()).isEqualTo(f.getTokenIdsList());
            assertThat(f.getLogprobsCount()).isEqualTo(f.getTokenIdsCount());
            assertThat(l.getLogprobsCount()).isZero();
            double mean = f.getLogprobsList().stream().mapToDouble(t -> t.getLogprob()).average().orElseThrow();
            assertThat(f.getMeanLogprob()).isNegative().isCloseTo((float) mean, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(l.getMeanLogprob()).isEqualTo(f.getMeanLogprob());
        }
        assertThat(lean.stream().mapToInt(Step::getSerializedSize).sum())
                .as("bytes of the steps without per-token log-probabilities")
                .isLessThan(full.stream().mapToInt(Step::getSerializedSize).sum() / 2);
        // the pod's own count of what its sessions sent (tests run one at a time, so the difference is this session's)
        assertThat(sessionBytes[1]).isPositive().isLessThan(sessionBytes[0] / 2);
    }

    private static double eventBytesSent() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("tts_generator_session_event_bytes_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aSearchDrivesBranchesStepByStep() {
        GrpcSession s = GrpcSession.open(generator, "search-1");
        SessionEvent started = s.call(start(s, PROMPT, Sampling.newBuilder().setTemperature(0.8f).setSeed(7)
                .setTopLogprobs(2).build(), 1, 2, 3));
        assertThat(started.getRequestId()).isEqualTo("search-1");
        assertThat(started.getStarted().getBranchIdsList()).containsExactly(1L, 2L, 3L);
        assertThat(started.getStarted().getPromptTokens()).isEqualTo(PROMPT.length());

        List<SessionEvent> steps = s.call(extend(s, 64, Until.NEXT_STEP, 1, 2, 3), 3);
        long generated = 0;
        for (SessionEvent e : steps) {
            Step step = e.getStep();
            generated += step.getTokenIdsCount();
            assertThat(step.getLogprobsCount()).isEqualTo(step.getTokenIdsCount());
            assertThat(step.getLogprobs(0).getTopCount()).isEqualTo(2);
            if (step.getEnd() == StepEnd.DELIMITER) {
                assertThat(step.getText()).endsWith("\n");
                assertThat(step.getFinished()).isFalse();
            }
        }

        SessionEvent forked = s.call(with(s, b -> b.setFork(Fork.newBuilder().setBranchId(1).addChildIds(10).addChildIds(11))));
        assertThat(forked.getForked().getChildIdsList()).containsExactly(10L, 11L);
        SessionEvent probed = s.call(with(s, b -> b.setProbe(Probe.newBuilder().setBranchId(10).setCue("A:").setMaxTokens(12))));
        assertThat(probed.getProbe().getCueTokens()).isEqualTo(2);
        generated += probed.getProbe().getGeneratedTokens();
        SessionEvent appended = s.call(with(s, b -> b.setAppend(Append.newBuilder().setBranchId(11).setText("A:"))));
        assertThat(appended.getAppended().getTokens()).isEqualTo(2);

        for (SessionEvent e : s.call(extend(s, 200, Until.TO_END, 10, 11), 2)) {
            generated += e.getStep().getTokenIdsCount();
            assertThat(e.getStep().getEnd()).isIn(StepEnd.EOS, StepEnd.QUOTA, StepEnd.CONTEXT_LIMIT);
        }
        List<SessionEvent> cancelled = s.call(with(s, b -> b.setCancel(Cancel.newBuilder().addBranchIds(2))), 1);
        assertThat(cancelled.getFirst().getCancelled().getBranchIdsList()).containsExactly(2L);

        SessionEvent closed = s.call(with(s, b -> b.setClose(Close.getDefaultInstance())));
        assertThat(closed.getClosed().getGeneratedTokens()).isEqualTo(generated);
        assertThat(closed.getClosed().getPrefillTokens()).isEqualTo(PROMPT.length() + 2 + 2);
        assertThat(s.end().isOk()).isTrue();
    }

    @Test
    void closedCountsTheCommandsTheClientWaitedForAndTheOnesItPipelined() {
        GrpcSession s = GrpcSession.open(generator, "round-trips");
        s.call(start(s, PROMPT, Sampling.newBuilder().setTemperature(0).build(), 1, 2));
        // Sent ahead without waiting: a fork and a cancel, then the Extend that needs the forked child.
        long fork = s.send(with(s, c -> c.setPipelined(true).setFork(Fork.newBuilder().setBranchId(1).addChildIds(3))));
        long cancel = s.send(with(s, c -> c.setPipelined(true).setCancel(Cancel.newBuilder().addBranchIds(2))));
        List<SessionEvent> steps = s.call(extend(s, 8, Until.NEXT_STEP, 1, 3), 2);
        assertThat(steps).allSatisfy(e -> assertThat(e.hasStep()).isTrue());
        // Pipelined commands are answered as any other (a client reads a CommandError for one with its next wait).
        assertThat(s.await(fork, 1).getFirst().hasForked()).isTrue();
        assertThat(s.await(cancel, 1).getFirst().hasCancelled()).isTrue();
        var closed = s.call(with(s, c -> c.setClose(Close.getDefaultInstance()))).getClosed();
        assertThat(closed.getAwaitedCommands()).isEqualTo(3); // start, extend, close
        assertThat(closed.getPipelinedCommands()).isEqualTo(2);
        assertThat(s.end().isOk()).isTrue();
    }

    @Test
    void quietForksAndCancelsAreAnsweredOnlyWhenTheyFail() {
        GrpcSession s = GrpcSession.open(generator, "quiet");
        s.call(start(s, PROMPT, Sampling.newBuilder().setTemperature(0).build(), 1, 2));
        long fork = s.send(with(s, c -> c.setPipelined(true).setQuiet(true).setFork(Fork.newBuilder().setBranchId(1).addChildIds(3))));
        long cancel = s.send(with(s, c -> c.setPipelined(true).setQuiet(true).setCancel(Cancel.newBuilder().addBranchIds(2))));
        long failing = s.send(with(s, c -> c.setPipelined(true).setQuiet(true).setFork(Fork.newBuilder().setBranchId(42).addChildIds(4))));

        assertThat(s.call(extend(s, 8, Until.NEXT_STEP, 1, 3), 2)).allSatisfy(e -> assertThat(e.hasStep()).isTrue());
        assertError(s.await(failing, 1).getFirst(), Status.Code.NOT_FOUND, "42");
        // A Cancel naming an unknown branch: the CommandError comes, the Cancelled of the known one does not.
        long partly = s.send(with(s, c -> c.setPipelined(true).setQuiet(true).setCancel(Cancel.newBuilder().addBranchIds(3).addBranchIds(77))));
        assertError(s.call(extend(s, 8, Until.NEXT_STEP, 2)), Status.Code.NOT_FOUND, "2"); // the first cancel took effect
        s.call(with(s, c -> c.setClose(Close.getDefaultInstance())));
        assertThat(s.end().isOk()).isTrue();
        assertThat(s.received(fork)).isEmpty();
        assertThat(s.received(cancel)).isEmpty();
        assertThat(s.received(partly)).singleElement().satisfies(e -> assertError(e, Status.Code.NOT_FOUND, "77"));
    }

    @Test
    void wrongCommandsGetACommandErrorAndTheSessionGoesOn() {
        GrpcSession s = GrpcSession.open(generator, "errors");
        GrpcSession other = GrpcSession.open(generator, "bystander");
        other.call(start(other, PROMPT, Sampling.newBuilder().setTemperature(0).build(), 1));
        s.call(start(s, PROMPT, Sampling.newBuilder().setTemperature(0).build(), 1, 2));

        assertError(s.call(extend(s, 10, Until.NEXT_STEP, 42)), Status.Code.NOT_FOUND, "42");
        assertThat(s.call(extend(s, 10, Until.NEXT_STEP, 42)).getError().getBranchIdsList()).containsExactly(42L);
        assertError(s.call(extend(s, 0, Until.NEXT_STEP, 1)), Status.Code.INVALID_ARGUMENT, "max_tokens");
        assertError(s.call(extend(s, -5, Until.NEXT_STEP, 1)), Status.Code.INVALID_ARGUMENT, "4294967291");
        assertError(s.call(extend(s, 100_000, Until.NEXT_STEP, 1)), Status.Code.INVALID_ARGUMENT, "max_tokens");
        assertError(s.call(start(s, "Q: " + "12+".repeat(90) + "1\n", Sampling.getDefaultInstance(), 5)),
                Status.Code.INVALID_ARGUMENT, "context");
        assertError(s.call(start(s, PROMPT, Sampling.newBuilder().setTemperature(9).build(), 5)),
                Status.Code.INVALID_ARGUMENT, "temperature");
        assertError(s.call(start(s, PROMPT, Sampling.newBuilder().setTopP(0).build(), 5)),
                Status.Code.INVALID_ARGUMENT, "top_p");
        assertError(s.call(start(s, PROMPT, Sampling.newBuilder().setTopLogprobs(21).build(), 5)),
                Status.Code.INVALID_ARGUMENT, "top_logprobs");
        assertError(s.call(start(s, PROMPT, Sampling.getDefaultInstance(),
                LongStream.rangeClosed(100, 400).toArray())), Status.Code.RESOURCE_EXHAUSTED, "per session");
        assertError(s.call(s.command().build()), Status.Code.INVALID_ARGUMENT, "none of");
        assertError(s.call(with(s, b -> b.setProbe(Probe.newBuilder().setBranchId(1).setCue("A:")))),
                Status.Code.INVALID_ARGUMENT, "probe.max_tokens");

        SessionEvent done = s.call(with(s, b -> b.setExtend(Extend.newBuilder().addBranchIds(1).setMaxTokens(250)
                .setUntil(Until.TO_END))));
        if (done.getStep().getFinished()) {
            assertError(s.call(extend(s, 10, Until.NEXT_STEP, 1)), Status.Code.FAILED_PRECONDITION, "finished");
        }
        assertThat(s.call(extend(s, 20, Until.NEXT_STEP, 2)).hasStep()).as("the session goes on").isTrue();
        assertThat(other.call(extend(other, 20, Until.NEXT_STEP, 1)).hasStep()).as("other sessions go on").isTrue();
        s.call(with(s, b -> b.setClose(Close.getDefaultInstance())));
        other.call(with(other, b -> b.setClose(Close.getDefaultInstance())));
        assertThat(s.end().isOk()).isTrue();
    }

    @Test
    void aBrokenProtocolEndsTheStreamWithAStatusAndFreesTheSession() {
        GrpcSession missing = GrpcSession.open(generator, "");
        missing.send(start(missing, PROMPT, Sampling.getDefaultInstance(), 1));
        assertThat(missing.end().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(missing.end().getDescription()).contains("request_id");

        GrpcSession changed = GrpcSession.open(generator, "first");
        changed.call(start(changed, PROMPT, Sampling.getDefaultInstance(), 1, 2));
        changed.send(SessionCommand.newBuilder().setRequestId("second").setCommandId(99)
                .setExtend(Extend.newBuilder().addBranchIds(1).setMaxTokens(5)).build());
        assertThat(changed.end().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(changed.end().getDescription()).contains("changed");
    }

    @Test
    void aClientThatGoesAwayFreesItsBranches() {
        GrpcSession s = GrpcSession.open(generator, "leaver");
        s.call(start(s, PROMPT, Sampling.newBuilder().setSeed(3).build(), 1, 2, 3, 4));
        s.send(with(s, b -> b.setExtend(Extend.newBuilder().addAllBranchIds(List.of(1L, 2L, 3L, 4L)).setMaxTokens(250)
                .setUntil(Until.TO_END).setSuppressEos(true))));
        assertThat(describe.describe(DescribeRequest.getDefaultInstance()).getLiveBranches()).isEqualTo(4);
        s.disconnect();

        GrpcSession halfClosed = GrpcSession.open(generator, "half-closer");
        halfClosed.call(start(halfClosed, PROMPT, Sampling.getDefaultInstance(), 1, 2));
        halfClosed.halfClose();
        assertThat(halfClosed.end().isOk()).isTrue();
    }

    @Test
    void closeEndsTheStreamAfterTheClosedEvent() {
        GrpcSession s = GrpcSession.open(generator, "closer");
        s.call(start(s, PROMPT, Sampling.getDefaultInstance(), 1));
        long close = s.send(with(s, b -> b.setClose(Close.getDefaultInstance())));
        s.send(extend(s, 5, Until.NEXT_STEP, 1));
        SessionEvent closed = s.await(close, 1).getFirst();
        assertThat(closed.getClosed().getBranchesFreed()).isEqualTo(1);
        assertThat(s.end().isOk()).isTrue();
    }
}
