package io.ttsmesh.generator.engine;

import io.ttsmesh.runtime.BundledModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Beyond its bounds the engine answers RESOURCE_EXHAUSTED at once, and keeps serving. */
class CapacityTest {

    private static final String PROMPT = "Q: 53+(50+20)\n";

    private static Event.Failed exhausted(Event event) {
        assertThat(event).isInstanceOf(Event.Failed.class);
        Event.Failed failed = (Event.Failed) event;
        assertThat(failed.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(failed.message()).isNotBlank();
        return failed;
    }

    @Test
    void branchLimitsPerSessionAndPerPod() {
        var settings = EngineSettings.forModel(BundledModels.generator()).maxLiveBranches(8).maxBranchesPerSession(6).build();
        try (GeneratorEngine engine = GeneratorEngine.start(settings)) {
            EventRecorder a = EventRecorder.open(engine, "a");
            assertThat(exhausted(a.call(new Command.Start(a.nextId(), PROMPT, List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L),
                    Sampling.greedy(), List.of(), ""))).message()).contains("per session");
            a.start(PROMPT, List.of(1L, 2L, 3L, 4L, 5L), Sampling.greedy());
            assertThat(exhausted(a.call(new Command.Fork(a.nextId(), 1L, List.of(6L, 7L), List.of()))).message())
                    .contains("per session");

            EventRecorder b = EventRecorder.open(engine, "b");
            assertThat(exhausted(b.call(new Command.Start(b.nextId(), PROMPT, List.of(1L, 2L, 3L, 4L), Sampling.greedy(),
                    List.of(), ""))).message()).contains("at most 8");
            b.start(PROMPT, List.of(1L, 2L, 3L), Sampling.greedy());
            assertThat(engine.describe().liveBranches()).isEqualTo(8);

            a.call(new Command.Cancel(a.nextId(), List.of(1L, 2L)));
            b.start(PROMPT, List.of(4L, 5L), Sampling.greedy());
            assertThat(b.extend(List.of(1L, 4L), 20, false)).hasSize(2);
            a.call(new Command.Close(a.nextId()));
            b.call(new Command.Close(b.nextId()));
            SessionCommandsTest.awaitFreed(engine);
        }
    }

    @Test
    void kvBytesAreBounded() {
        long perToken = 2L * 3 * 4 * 32 * 4;
        var settings = EngineSettings.forModel(BundledModels.generator()).maxKvBytes(100 * perToken).build();
        try (GeneratorEngine engine = GeneratorEngine.start(settings)) {
            EventRecorder r = EventRecorder.open(engine, "kv");
            r.start(PROMPT, List.of(1L, 2L, 3L), Sampling.greedy());
            assertThat(exhausted(r.call(Command.Extend.toEnd(r.nextId(), List.of(1L, 2L, 3L), 40))).message())
                    .contains("KV cache full");
            assertThat(r.extend(List.of(1L, 2L), 20, false)).hasSize(2);
            assertThat(exhausted(r.call(new Command.Start(r.nextId(), "Q: " + "1+".repeat(60) + "1\n", List.of(9L),
                    Sampling.greedy(), List.of(), ""))).message()).contains("KV cache full");
            r.call(new Command.Close(r.nextId()));
            SessionCommandsTest.awaitFreed(engine);
        }
    }

    @Test
    void fullQueuesRefuseInsteadOfHanging() {
        var settings = EngineSettings.forModel(BundledModels.generator()).maxQueuedCommands(2).maxPendingPrefills(1).build();
        try (GeneratorEngine engine = GeneratorEngine.start(settings)) {
            List<EventRecorder> sessions = new ArrayList<>();
            List<Long> starts = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                EventRecorder r = EventRecorder.open(engine, "burst-" + i);
                long id = r.nextId();
                r.session.submit(new Command.Start(id, PROMPT, List.of(1L, 2L), Sampling.greedy(), List.of(), ""));
                sessions.add(r);
                starts.add(id);
            }
            int refused = 0;
            int started = 0;
            for (int i = 0; i < sessions.size(); i++) {
                Event answer = sessions.get(i).await(starts.get(i), 1).getFirst();
                if (answer instanceof Event.Started) {
                    started++;
                } else {
                    exhausted(answer);
                    refused++;
                }
            }
            assertThat(refused).as("refused at the door or by the prefill queue").isPositive();
            assertThat(started).isPositive();
            for (EventRecorder r : sessions) {
                r.session.abandon();
            }
            SessionCommandsTest.awaitFreed(engine);
            EventRecorder after = EventRecorder.open(engine, "after");
            after.start(PROMPT, List.of(1L), Sampling.greedy());
            assertThat(after.extend(List.of(1L), 20, false)).hasSize(1);
        }
    }
}
