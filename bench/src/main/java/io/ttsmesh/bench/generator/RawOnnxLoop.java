package io.ttsmesh.bench.generator;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.ttsmesh.runtime.ExecutionProvider;
import io.ttsmesh.runtime.ModelConfig;
import io.ttsmesh.runtime.ModelDirectory;
import io.ttsmesh.runtime.OnnxSessions;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The floor: the same graph run by ONNX Runtime in a plain loop with no service and no engine. All rows
 * advance in lockstep, the previous step's {@code present} outputs are fed straight back as {@code past},
 * sampling is a temperature draw in Java. Nothing here could serve a request; it is what the service's
 * overhead is measured against.
 */
final class RawOnnxLoop implements DecodePath {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final ModelConfig config;

    RawOnnxLoop(Path modelDir, int threads) {
        ModelDirectory directory = ModelDirectory.open(modelDir);
        this.config = directory.config();
        this.session = OnnxSessions.open(directory.onnxFile(), ExecutionProvider.CPU, threads);
    }

    @Override
    public String name() {
        return "raw ONNX Runtime loop";
    }

    @Override
    public Measurement run(Workload w, int n) throws Exception {
        SplittableRandom random = new SplittableRandom(w.seed());
        int prompt = w.promptTokens().length;
        long started = System.nanoTime();
        long[] ids = new long[n * prompt];
        long[] positions = new long[n * prompt];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < prompt; i++) {
                ids[r * prompt + i] = w.promptTokens()[i];
                positions[r * prompt + i] = i;
            }
        }
        OrtSession.Result result = step(n, prompt, ids, positions, prompt, null);
        long[] next = sample(result, n, prompt, w, random);
        int length = prompt;
        double ttfs = Double.NaN;
        boolean[] stepped = new boolean[n];
        int remaining = n;
        for (int t = 0; t < w.firstStepMax() && remaining > 0; t++) {
            for (int r = 0; r < n; r++) {
                if (next[r] == w.delimiterToken() && !stepped[r]) {
                    stepped[r] = true;
                    remaining--;
                    if (Double.isNaN(ttfs)) {
                        ttfs = (System.nanoTime() - started) / 1e6;
                    }
                }
            }
            result = advance(result, n, next, length++);
            next = sample(result, n, 1, w, random);
        }
        double cpuStarted = Measurement.cpuSeconds(ProcessHandle.current());
        long decodeStarted = System.nanoTime();
        for (int t = 0; t < w.tokens(); t++) {
            result = advance(result, n, next, length++);
            next = sample(result, n, 1, w, random);
        }
        double seconds = (System.nanoTime() - decodeStarted) / 1e9;
        double cpu = Measurement.cpuSeconds(ProcessHandle.current()) - cpuStarted;
        result.close();
        return new Measurement(ttfs, (long) n * w.tokens(), seconds, cpu);
    }

    /** Greedy continuation of one prompt (to check that the PyTorch reference runs the same weights). */
    int[] greedy(int[] promptTokens, int count) throws Exception {
        Workload greedy = new Workload("", promptTokens, count, 0, -1, new int[0], 0f, 0);
        int prompt = promptTokens.length;
        long[] ids = new long[prompt];
        long[] positions = new long[prompt];
        for (int i = 0; i < prompt; i++) {
            ids[i] = promptTokens[i];
            positions[i] = i;
        }
        OrtSession.Result result = step(1, prompt, ids, positions, prompt, null);
        int[] out = new int[count];
        long[] next = sample(result, 1, prompt, greedy, null);
        for (int t = 0; t < count; t++) {
            out[t] = (int) next[0];
            result = advance(result, 1, next, prompt + t);
            next = sample(result, 1, 1, greedy, null);
        }
        result.close();
        return out;
    }

    private OrtSession.Result advance(OrtSession.Result previous, int n, long[] tokens, int cached) throws Exception {
        long[] positions = new long[n];
        Arrays.fill(positions, cached);
        OrtSession.Result next = step(n, 1, tokens, positions, cached + 1, previous);
        previous.close();
        return next;
    }

    private OrtSession.Result step(int n, int newTokens, long[] ids, long[] positions, int total, OrtSession.Result past)
            throws Exception {
        List<OnnxTensor> created = new ArrayList<>();
        try {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", keep(created, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {n, newTokens})));
            inputs.put("position_ids", keep(created, OnnxTensor.createTensor(env, LongBuffer.wrap(positions),
                    new long[] {n, newTokens})));
            long[] mask = new long[n * total];
            Arrays.fill(mask, 1L);
            inputs.put("attention_mask", keep(created, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {n, total})));
            for (int layer = 0; layer < config.layers(); layer++) {
                for (String kind : new String[] {"key", "value"}) {
                    OnnxTensor tensor = past == null
                            ? keep(created, OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                            new long[] {n, config.kvHeads(), 0, config.headDim()}))
                            : (OnnxTensor) past.get("present." + layer + "." + kind).orElseThrow();
                    inputs.put("past_key_values." + layer + "." + kind, tensor);
                }
            }
            return session.run(inputs);
        } finally {
            created.forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor keep(List<OnnxTensor> created, OnnxTensor tensor) {
        created.add(tensor);
        return tensor;
    }

    /** Draws each row's next token from the last position's logits (EOS banned; temperature 0 = argmax). */
    private long[] sample(OrtSession.Result result, int n, int positions, Workload w, SplittableRandom random) {
        FloatBuffer logits = ((OnnxTensor) result.get("logits").orElseThrow()).getFloatBuffer();
        int vocab = config.vocabSize();
        long[] next = new long[n];
        double[] weights = new double[vocab];
        for (int r = 0; r < n; r++) {
            int base = (r * positions + positions - 1) * vocab;
            float max = Float.NEGATIVE_INFINITY;
            int best = 0;
            for (int v = 0; v < vocab; v++) {
                if (logits.get(base + v) > max && !banned(v, w)) {
                    max = logits.get(base + v);
                    best = v;
                }
            }
            if (w.temperature() == 0f) {
                next[r] = best;
                continue;
            }
            double total = 0;
            for (int v = 0; v < vocab; v++) {
                weights[v] = banned(v, w) ? 0 : Math.exp((logits.get(base + v) - max) / w.temperature());
                total += weights[v];
            }
            double u = random.nextDouble() * total;
            int chosen = vocab - 1;
            for (int v = 0; v < vocab; v++) {
                u -= weights[v];
                if (u < 0) {
                    chosen = v;
                    break;
                }
            }
            next[r] = chosen;
        }
        return next;
    }

    private static boolean banned(int token, Workload w) {
        for (int eos : w.eosTokens()) {
            if (eos == token) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        session.close();
    }
}
