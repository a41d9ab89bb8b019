package io.ttsmesh.generator.engine.decode;

import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.runtime.ExecutionProvider;
import io.ttsmesh.runtime.ModelDirectory;
import io.ttsmesh.runtime.TextTokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decoding token by token through the engine's KV machinery (chunked prefill, a batch that rows join
 * and leave at different times, left padding, swap-removal, re-gathering from shared segments, re-layout)
 * gives the logits of one full recompute of each sequence: on the bundled model and on the Qwen2- and
 * Llama-shaped fixtures (grouped-query attention, Optimum's merged decoder, a float16 KV cache).
 */
class IncrementalDecodingTest {

    private DecoderModel model;
    private TextTokenizer tokenizer;

    /** A teacher-forced sequence: its tokens, its full-recompute logits, and where it is in the incremental run. */
    private final class Sequence {
        final int[] tokens;
        final float[][] full;
        final int prompt;
        KvSegment tail;
        DecodeBatch.Row row;
        final List<Integer> leaveAfter = new ArrayList<>();
        int joinAt;

        Sequence(String text, int prompt, int joinAt) {
            long[] ids = tokenizer.encode(text);
            this.tokens = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                tokens[i] = (int) ids[i];
            }
            this.full = fullRecompute(tokens);
            this.prompt = prompt;
            this.joinAt = joinAt;
        }

        int kv() {
            return tail == null ? 0 : tail.end();
        }
    }

    private float[][] fullRecompute(int[] tokens) {
        int n = tokens.length;
        int vocab = model.vocabSize();
        KvShape shape = model.kvShape();
        var ids = DecodeBatch.longs(n);
        var mask = DecodeBatch.longs(n);
        var positions = DecodeBatch.longs(n);
        for (int i = 0; i < n; i++) {
            ids.put(i, tokens[i]);
            mask.put(i, 1);
            positions.put(i, i);
        }
        ByteBuffer[] past = new ByteBuffer[shape.tensors()];
        ByteBuffer[] present = new ByteBuffer[shape.tensors()];
        for (int t = 0; t < shape.tensors(); t++) {
            past[t] = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());
            present[t] = ByteBuffer.allocateDirect(n * shape.elementsPerTokenPerTensor() * shape.elementBytes())
                    .order(ByteOrder.nativeOrder());
        }
        FloatBuffer logits = DecodeBatch.floats((long) n * vocab);
        model.run(1, n, 0, ids, mask, positions, past, present, logits);
        float[][] out = new float[n][vocab];
        for (int i = 0; i < n; i++) {
            logits.get(i * vocab, out[i], 0, vocab);
        }
        return out;
    }

    private static float maxDiff(float[] a, float[] b) {
        float worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    /**
     * @param tolerance float32: summation order alone; float16: the half-precision rounding of KV written
     *                  in different batch layouts and chunkings
     */
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"generator, model.onnx, 1e-4", "fixtures/qwen2, model.onnx, 1e-4",
            "fixtures/qwen2, decoder_model_merged.onnx, 1e-4", "fixtures/llama, model.onnx, 1e-4",
            "fixtures/llama, decoder_model_merged.onnx, 1e-4", "fixtures/qwen2, model_fp16.onnx, 3e-2"})
    void incrementalDecodingEqualsFullRecompute(String dir, String graph, float tolerance) {
        ModelDirectory directory = ModelDirectory.open(BundledModels.root().resolve(dir), graph);
        model = DecoderModel.open(directory, ExecutionProvider.CPU, 1);
        tokenizer = directory.loadTokenizer();
        try {
            decodeAndCompare(tolerance);
        } finally {
            model.close();
            tokenizer.close();
        }
    }

    private void decodeAndCompare(float tolerance) {
        KvLedger ledger = new KvLedger(Long.MAX_VALUE);
        List<Sequence> sequences = List.of(
                new Sequence("Q: 12+7*3\n7*3=21\n12+21=33\nA: 33", 10, 0),
                new Sequence("Q: 5-2\n5-2=3\nA: 3", 7, 2),
                new Sequence("Q: 9\nA: 9", 5, 3),
                new Sequence("Q: (4+4)*2-1+(3*3)\n4+4=8\n8*2=16\n16-1=15\n3*3=9\n15+9=24\nA: 24", 40, 9));
        sequences.get(0).leaveAfter.addAll(List.of(4, 12));
        sequences.get(1).leaveAfter.add(3);
        sequences.get(3).leaveAfter.add(6);

        float worst = 0;
        PrefillRunner prefill = new PrefillRunner(model, ledger, 3);
        for (Sequence s : sequences) {
            int[] promptTokens = java.util.Arrays.copyOf(s.tokens, s.prompt);
            var run = prefill.begin(null, promptTokens);
            while (!run.isDone()) {
                run.advance(Integer.MAX_VALUE);
            }
            s.tail = run.segment();
            worst = Math.max(worst, maxDiff(run.lastLogits(), s.full[s.prompt - 1]));
        }

        DecodeBatch batch = new DecodeBatch(model, ledger);
        float[] logits = new float[model.vocabSize()];
        int compared = 0;
        for (int iteration = 0; iteration < 200; iteration++) {
            for (Sequence s : sequences) {
                if (s.row == null && iteration >= s.joinAt && s.kv() < s.tokens.length) {
                    s.row = batch.join(s, s.tail, s.tokens[s.kv()]);
                }
            }
            if (batch.isEmpty()) {
                break;
            }
            batch.step();
            List<Sequence> leaving = new ArrayList<>();
            for (DecodeBatch.Row row : batch.rows()) {
                Sequence s = (Sequence) row.owner();
                int fed = row.kvLength() - 1;
                batch.logits(row, logits);
                worst = Math.max(worst, maxDiff(logits, s.full[fed]));
                compared++;
                int next = row.kvLength();
                boolean pause = !s.leaveAfter.isEmpty() && s.leaveAfter.getFirst() == iteration;
                if (next >= s.tokens.length || pause) {
                    leaving.add(s);
                    if (pause) {
                        s.leaveAfter.removeFirst();
                        s.joinAt = iteration + 3;
                    }
                } else {
                    row.feed(s.tokens[next]);
                }
            }
            for (Sequence s : leaving) {
                KvSegment added = batch.leave(s.row, true, ledger);
                s.tail.release();
                s.tail = added;
                s.row = null;
            }
        }

        int expected = sequences.stream().mapToInt(s -> s.tokens.length - s.prompt).sum();
        assertThat(compared).isEqualTo(expected);
        assertThat(worst).as("max |incremental - full| over every logit").isLessThanOrEqualTo(tolerance);
        assertThat(batch.rebuilds()).as("re-layouts exercised").isPositive();
        for (Sequence s : sequences) {
            assertThat(s.kv()).isEqualTo(s.tokens.length);
            s.tail.release();
        }
        assertThat(ledger.storedBytes()).as("every segment freed").isZero();
    }
}
