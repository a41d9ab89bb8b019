package io.ttsmesh.generator.engine;

import io.ttsmesh.runtime.BundledModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Continuous batching does not change what a branch generates. */
class BatchInvarianceTest {

    private static final AtomicInteger widestStep = new AtomicInteger();
    private static GeneratorEngine engine;

    @BeforeAll
    static void start() {
        engine = GeneratorEngine.start(EngineSettings.forModel(BundledModels.generator()).build(), new EngineObserver() {
            @Override
            public void decodeStep(int rows, long nanos) {
                widestStep.accumulateAndGet(rows, Math::max);
            }
        });
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static final String PROMPT = "Q: 8*(8*(51-13))\n";

    @Test
    void greedyOutputIsTheSameAloneAndInsideABatchOf64OtherBranches() {
        EventRecorder alone = EventRecorder.open(engine, "alone");
        alone.start(PROMPT, List.of(1L), Sampling.greedy().withTopLogprobs(2));
        Event.Step reference = alone.extend(List.of(1L), 120, true).getFirst();
        alone.call(new Command.Close(alone.nextId()));
        assertThat(reference.tokenIds()).hasSizeGreaterThan(5);

        // 64 other branches over 8 sessions (other prompts, sampled, leaving the batch at different times),
        // and the same greedy branch, all extended at once.
        widestStep.set(0);
        List<EventRecorder> others = new ArrayList<>();
        List<Long> extendIds = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            EventRecorder other = EventRecorder.open(engine, "other-" + s);
            List<Long> ids = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
            other.start("Q: " + (11 + s) + "*(" + (3 + s) + "+" + (40 - s) + ")-" + s + "\n", ids,
                    new Sampling(1.0f, null, null, 100L + s, 0));
            others.add(other);
        }
        EventRecorder mixed = EventRecorder.open(engine, "mixed");
        mixed.start(PROMPT, List.of(7L), Sampling.greedy().withTopLogprobs(2));
        for (EventRecorder other : others) {
            long id = other.nextId();
            other.session.submit(new Command.Extend(id, List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), 150, true, false, null,
                    null, List.of(), false));
            extendIds.add(id);
        }
        long id = mixed.nextId();
        mixed.session.submit(new Command.Extend(id, List.of(7L), 120, true, false, null, null, List.of(), false));
        Event.Step batched = (Event.Step) mixed.await(id, 1).getFirst();
        for (int s = 0; s < others.size(); s++) {
            assertThat(others.get(s).await(extendIds.get(s), 8)).allMatch(e -> e instanceof Event.Step);
        }

        assertThat(widestStep.get()).as("the branch was decoded in a batch with the 64 others").isGreaterThanOrEqualTo(65);
        assertThat(batched.tokenIds()).isEqualTo(reference.tokenIds());
        assertThat(batched.text()).isEqualTo(reference.text());
        assertThat(batched.end()).isEqualTo(reference.end());
        for (int i = 0; i < reference.logprobs().size(); i++) {
            assertThat(batched.logprobs().get(i).logprob())
                    .isCloseTo(reference.logprobs().get(i).logprob(), org.assertj.core.data.Offset.offset(1e-4f));
        }
    }
}
