package io.ttsmesh.verifier;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.ttsmesh.runtime.ModelDirectory;
import io.ttsmesh.runtime.TextTokenizer;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores of the bundled PRM computed the plain way, independently of the engine: the input written out
 * as the model card says ("Q: question\n" then every step and "\n"), one candidate per ONNX Runtime call
 * (no padding, an empty past), softmax over the two classes at every "\n" after the question line,
 * class 1. What the engine answers must equal this whatever its batching, padding and cache did.
 */
public final class DirectPrmReference implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final TextTokenizer tokenizer;
    private final int layers;
    private final int heads;
    private final int headDim;
    private final int delimiter;

    public DirectPrmReference(Path prmDir) throws OrtException {
        ModelDirectory dir = ModelDirectory.open(prmDir);
        this.session = env.createSession(dir.onnxFile().toString(), new OrtSession.SessionOptions());
        this.tokenizer = dir.loadTokenizer();
        this.layers = dir.config().layers();
        this.heads = dir.config().kvHeads();
        this.headDim = dir.config().headDim();
        this.delimiter = dir.config().raw().get("delimiter_token_id").asInt();
    }

    public float[] score(String question, List<String> steps) throws OrtException {
        StringBuilder text = new StringBuilder("Q: ").append(question).append('\n');
        for (String s : steps) {
            text.append(s).append('\n');
        }
        long[] ids = tokenizer.encode(text.toString());
        int n = ids.length;
        long[] ones = new long[n];
        long[] pos = new long[n];
        for (int i = 0; i < n; i++) {
            ones[i] = 1;
            pos[i] = i;
        }
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            feeds.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, n}));
            feeds.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(ones), new long[] {1, n}));
            feeds.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(pos), new long[] {1, n}));
            for (int l = 0; l < layers; l++) {
                for (String kind : new String[] {"key", "value"}) {
                    feeds.put("past_key_values." + l + "." + kind, OnnxTensor.createTensor(env,
                            FloatBuffer.allocate(0), new long[] {1, heads, 0, headDim}));
                }
            }
            try (OrtSession.Result r = session.run(feeds, java.util.Set.of("logits"))) {
                float[][][] logits = (float[][][]) r.get("logits").orElseThrow().getValue();
                List<Float> scores = new ArrayList<>();
                boolean questionLine = true;
                for (int i = 0; i < n; i++) {
                    if (ids[i] != delimiter) {
                        continue;
                    }
                    if (questionLine) {
                        questionLine = false;
                        continue;
                    }
                    double a = logits[0][i][0];
                    double b = logits[0][i][1];
                    scores.add((float) (1.0 / (1.0 + Math.exp(a - b))));
                }
                float[] out = new float[scores.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = scores.get(i);
                }
                return out;
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
        tokenizer.close();
    }
}
