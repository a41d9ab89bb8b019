package io.ttsmesh.generator.engine.decode;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.ttsmesh.runtime.ExecutionProvider;
import io.ttsmesh.runtime.ModelConfig;
import io.ttsmesh.runtime.ModelDirectory;
import io.ttsmesh.runtime.OnnxSessions;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder graph in the Hugging Face Optimum layout run by ONNX Runtime: inputs {@code input_ids},
 * {@code attention_mask}, {@code position_ids} (optional in the graph), {@code past_key_values.{i}.key|value}
 * {@code [batch, kvHeads, past, headDim]}; outputs {@code logits} and {@code present.{i}.key|value}. One
 * graph serves prefill (many new tokens) and decode (one new token per row).
 *
 * <p>Every tensor of a run lives in a caller-owned direct buffer: inputs are wrapped without copying,
 * and outputs are <em>pinned</em> (ONNX Runtime writes them into the caller's buffers). That is what lets
 * the decode loop hand one iteration's {@code present} to the next as {@code past} with no copy.
 */
public final class DecoderModel implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final ModelConfig config;
    private final KvShape shape;
    private final ExecutionProvider provider;
    private final String[] pastNames;
    private final String[] presentNames;
    private final boolean feedsPositionIds;

    private DecoderModel(OrtSession session, ModelConfig config, ExecutionProvider provider) {
        this.session = session;
        this.config = config;
        this.shape = KvShape.of(config);
        this.provider = provider;
        this.pastNames = new String[shape.tensors()];
        this.presentNames = new String[shape.tensors()];
        for (int layer = 0; layer < config.layers(); layer++) {
            pastNames[2 * layer] = "past_key_values." + layer + ".key";
            pastNames[2 * layer + 1] = "past_key_values." + layer + ".value";
            presentNames[2 * layer] = "present." + layer + ".key";
            presentNames[2 * layer + 1] = "present." + layer + ".value";
        }
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            List<String> problems = new ArrayList<>();
            expect(inputs, "input_ids", OnnxJavaType.INT64, problems);
            expect(inputs, "attention_mask", OnnxJavaType.INT64, problems);
            this.feedsPositionIds = inputs.containsKey("position_ids");
            if (feedsPositionIds) {
                expect(inputs, "position_ids", OnnxJavaType.INT64, problems);
            }
            for (String name : pastNames) {
                expect(inputs, name, OnnxJavaType.FLOAT, problems);
            }
            expect(outputs, "logits", OnnxJavaType.FLOAT, problems);
            for (String name : presentNames) {
                expect(outputs, name, OnnxJavaType.FLOAT, problems);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("the decoder graph does not match the Optimum layout with "
                        + config.layers() + " layers (config.json): " + String.join("; ", problems));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read the decoder graph's inputs and outputs", e);
        }
    }

    private static void expect(Map<String, NodeInfo> nodes, String name, OnnxJavaType type, List<String> problems) {
        NodeInfo node = nodes.get(name);
        if (node == null) {
            problems.add("missing " + name);
        } else if (!(node.getInfo() instanceof TensorInfo info) || info.type != type) {
            problems.add(name + " is " + node.getInfo() + ", expected a " + type + " tensor"
                    + (type == OnnxJavaType.FLOAT ? " (float16 exports are not supported; export in float32)" : ""));
        }
    }

    public static DecoderModel open(ModelDirectory directory, ExecutionProvider provider, int intraOpThreads) {
        OrtSession session = OnnxSessions.open(directory.onnxFile(), provider, intraOpThreads);
        try {
            return new DecoderModel(session, directory.config(), provider);
        } catch (RuntimeException e) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // already failing
            }
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    public KvShape kvShape() {
        return shape;
    }

    public ExecutionProvider provider() {
        return provider;
    }

    public int vocabSize() {
        return config.vocabSize();
    }

    /**
     * One run of the graph over {@code rows} sequences of {@code newTokens} new tokens each, after
     * {@code pastLength} cached positions. Buffers are read and written from index 0:
     * {@code ids} and {@code positions} {@code [rows, newTokens]}, {@code mask} {@code [rows, pastLength + newTokens]},
     * {@code past[t]} {@code [rows, kvHeads, pastLength, headDim]}, {@code present[t]}
     * {@code [rows, kvHeads, pastLength + newTokens, headDim]}, {@code logits} {@code [rows, newTokens, vocab]}.
     */
    public void run(int rows, int newTokens, int pastLength, LongBuffer ids, LongBuffer mask, LongBuffer positions,
                    FloatBuffer[] past, FloatBuffer[] present, FloatBuffer logits) {
        int heads = shape.kvHeads();
        int headDim = shape.headDim();
        int total = pastLength + newTokens;
        List<OnnxTensor> created = new ArrayList<>(4 * shape.tensors() + 4);
        try {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", track(created, OnnxTensor.createTensor(env, ids.slice(0, rows * newTokens),
                    new long[] {rows, newTokens})));
            inputs.put("attention_mask", track(created, OnnxTensor.createTensor(env, mask.slice(0, rows * total),
                    new long[] {rows, total})));
            if (feedsPositionIds) {
                inputs.put("position_ids", track(created, OnnxTensor.createTensor(env,
                        positions.slice(0, rows * newTokens), new long[] {rows, newTokens})));
            }
            long[] pastDims = {rows, heads, pastLength, headDim};
            long[] presentDims = {rows, heads, total, headDim};
            int pastFloats = rows * heads * pastLength * headDim;
            int presentFloats = rows * heads * total * headDim;
            Map<String, OnnxTensor> outputs = new HashMap<>();
            for (int t = 0; t < shape.tensors(); t++) {
                inputs.put(pastNames[t], track(created, OnnxTensor.createTensor(env, past[t].slice(0, pastFloats), pastDims)));
                outputs.put(presentNames[t], track(created, OnnxTensor.createTensor(env,
                        present[t].slice(0, presentFloats), presentDims)));
            }
            outputs.put("logits", track(created, OnnxTensor.createTensor(env,
                    logits.slice(0, rows * newTokens * config.vocabSize()), new long[] {rows, newTokens, config.vocabSize()})));
            session.run(inputs, outputs).close();
        } catch (OrtException e) {
            throw new IllegalStateException("decoder run failed (rows " + rows + ", new tokens " + newTokens
                    + ", past " + pastLength + "): " + e.getMessage(), e);
        } finally {
            created.forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor track(List<OnnxTensor> created, OnnxTensor tensor) {
        created.add(tensor);
        return tensor;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
