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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder graph in the Hugging Face Optimum layout run by ONNX Runtime: inputs {@code input_ids},
 * {@code attention_mask}, {@code position_ids} (optional in the graph), {@code past_key_values.{i}.key|value}
 * {@code [batch, kvHeads, past, headDim]}; outputs {@code logits} and {@code present.{i}.key|value}. One
 * graph serves prefill (many new tokens) and decode (one new token per row). Optimum's merged decoder
 * ({@code decoder_model_merged.onnx}) is the same plus a boolean {@code use_cache_branch}, set here whenever
 * there is a past. KV tensors are float32 or float16 as the graph declares ({@link Precision}); logits are read
 * as float32 whatever their type.
 *
 * <p>Every tensor of a run lives in a caller-owned direct buffer: inputs are wrapped without copying,
 * and outputs are <em>pinned</em> (ONNX Runtime writes them into the caller's buffers). That is what lets
 * the decode loop hand one iteration's {@code present} to the next as {@code past} with no copy.
 */
public final class DecoderModel implements AutoCloseable {

    static final String USE_CACHE_BRANCH = "use_cache_branch";

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final ModelConfig config;
    private final KvShape shape;
    private final ExecutionProvider provider;
    private final String[] pastNames;
    private final String[] presentNames;
    private final boolean feedsPositionIds;
    private final boolean merged;
    private final Precision logitsPrecision;
    private ByteBuffer halfLogits = ByteBuffer.allocateDirect(0);

    private DecoderModel(OrtSession session, ModelDirectory directory, ExecutionProvider provider, Precision wanted) {
        this.session = session;
        this.config = directory.config();
        this.provider = provider;
        String graph = directory.onnxFile().toString();
        String where = "decoder graph " + graph + " (config.json num_hidden_layers=" + config.layers()
                + ", num_key_value_heads=" + config.kvHeads() + ", head_dim=" + config.headDim() + ")";
        int tensors = 2 * config.layers();
        this.pastNames = new String[tensors];
        this.presentNames = new String[tensors];
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
            expect(inputs, "input", "input_ids", OnnxJavaType.INT64, problems);
            expect(inputs, "input", "attention_mask", OnnxJavaType.INT64, problems);
            this.feedsPositionIds = inputs.containsKey("position_ids");
            if (feedsPositionIds) {
                expect(inputs, "input", "position_ids", OnnxJavaType.INT64, problems);
            }
            this.merged = inputs.containsKey(USE_CACHE_BRANCH);
            if (merged) {
                expect(inputs, "input", USE_CACHE_BRANCH, OnnxJavaType.BOOL, problems);
            }
            Precision kv = precisionOf(inputs.get(pastNames[0]));
            if (kv == null && inputs.containsKey(pastNames[0])) {
                problems.add(pastNames[0] + " is " + inputs.get(pastNames[0]).getInfo()
                        + ", expected a float32 or float16 tensor");
            } else if (kv != null && wanted != null && kv != wanted) {
                problems.add("its KV is " + kv + " but dtype " + wanted + " was configured");
            }
            Precision kvType = kv == null ? Precision.FLOAT32 : kv;
            for (String name : pastNames) {
                expect(inputs, "input", name, kvType.onnxType(), problems);
                expectKvShape(inputs.get(name), name, problems);
            }
            if (inputs.containsKey("past_key_values." + config.layers() + ".key")) {
                problems.add("it has more layers of past inputs than num_hidden_layers");
            }
            this.logitsPrecision = precisionOf(outputs.get("logits"));
            if (logitsPrecision == null) {
                problems.add(outputs.containsKey("logits") ? "output logits is " + outputs.get("logits").getInfo()
                        + ", expected a float32 or float16 tensor" : "missing output logits");
            }
            for (String name : presentNames) {
                expect(outputs, "output", name, kvType.onnxType(), problems);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(where + " does not match the Optimum decoder layout with a KV past "
                        + "(export with --task text-generation-with-past): " + String.join("; ", problems));
            }
            this.shape = KvShape.of(config, kvType);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot read the inputs and outputs of " + where, e);
        }
    }

    private static Precision precisionOf(NodeInfo node) {
        return node != null && node.getInfo() instanceof TensorInfo info ? Precision.of(info.type) : null;
    }

    private static void expect(Map<String, NodeInfo> nodes, String kind, String name, OnnxJavaType type,
                               List<String> problems) {
        NodeInfo node = nodes.get(name);
        if (node == null) {
            problems.add("missing " + kind + " " + name);
        } else if (!(node.getInfo() instanceof TensorInfo info) || info.type != type) {
            problems.add(kind + " " + name + " is " + node.getInfo() + ", expected a " + type + " tensor");
        }
    }

    /** Static head and head-dim sizes of a past input must be config.json's. */
    private void expectKvShape(NodeInfo node, String name, List<String> problems) {
        if (node == null || !(node.getInfo() instanceof TensorInfo info) || info.getShape().length != 4) {
            if (node != null) {
                problems.add("input " + name + " is not 4-dimensional [batch, kv heads, past, head dim]");
            }
            return;
        }
        long[] dims = info.getShape();
        if (dims[1] > 0 && dims[1] != config.kvHeads()) {
            problems.add("input " + name + " has " + dims[1] + " KV heads, config.json num_key_value_heads says "
                    + config.kvHeads());
        }
        if (dims[3] > 0 && dims[3] != config.headDim()) {
            problems.add("input " + name + " has head dimension " + dims[3] + ", config.json says " + config.headDim()
                    + " (head_dim, else hidden_size / num_attention_heads)");
        }
    }

    /**
     * Opens the directory's graph and runs it once on one token, so that a graph ONNX Runtime cannot execute
     * (e.g. an operator without a float16 kernel on the CPU) fails here, at start, not in the middle of a search.
     *
     * @param dtype the KV precision the graph must have; null: whatever it declares
     */
    public static DecoderModel open(ModelDirectory directory, ExecutionProvider provider, int intraOpThreads,
                                    Precision dtype) {
        OrtSession session = OnnxSessions.open(directory.onnxFile(), provider, intraOpThreads);
        DecoderModel model = null;
        try {
            model = new DecoderModel(session, directory, provider, dtype);
            model.warmUp(directory);
            return model;
        } catch (RuntimeException e) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // already failing
            }
            throw e;
        }
    }

    public static DecoderModel open(ModelDirectory directory, ExecutionProvider provider, int intraOpThreads) {
        return open(directory, provider, intraOpThreads, null);
    }

    private void warmUp(ModelDirectory directory) {
        ByteBuffer[] past = new ByteBuffer[shape.tensors()];
        ByteBuffer[] present = new ByteBuffer[shape.tensors()];
        for (int t = 0; t < past.length; t++) {
            past[t] = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());
            present[t] = ByteBuffer.allocateDirect(shape.elementsPerTokenPerTensor() * shape.elementBytes())
                    .order(ByteOrder.nativeOrder());
        }
        LongBuffer one = DecodeBatch.longs(1);
        one.put(0, 1);
        try {
            run(1, 1, 0, DecodeBatch.longs(1), one, DecodeBatch.longs(1), past, present, DecodeBatch.floats(config.vocabSize()));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("ONNX Runtime (" + provider.name().toLowerCase(java.util.Locale.ROOT)
                    + ") cannot run " + directory.onnxFile() + " (" + shape.precision() + " KV)"
                    + (shape.precision() == Precision.FLOAT16 && provider == ExecutionProvider.CPU
                    ? ": float16 graphs need kernels ONNX Runtime's CPU build may lack; run them on the GPU "
                    + "(Maven profile gpu, execution-provider=cuda) or export in float32" : "")
                    + ": " + e.getMessage(), e);
        }
    }

    public ModelConfig config() {
        return config;
    }

    public KvShape kvShape() {
        return shape;
    }

    public Precision precision() {
        return shape.precision();
    }

    /** Whether this is Optimum's merged decoder (with a {@code use_cache_branch} input). */
    public boolean merged() {
        return merged;
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
     * {@code [rows, kvHeads, pastLength + newTokens, headDim]} (KV in the graph's precision, native byte order),
     * {@code logits} {@code [rows, newTokens, vocab]} (float32).
     */
    public void run(int rows, int newTokens, int pastLength, LongBuffer ids, LongBuffer mask, LongBuffer positions,
                    ByteBuffer[] past, ByteBuffer[] present, FloatBuffer logits) {
        int heads = shape.kvHeads();
        int headDim = shape.headDim();
        int bytes = shape.elementBytes();
        int total = pastLength + newTokens;
        int vocab = config.vocabSize();
        List<OnnxTensor> created = new ArrayList<>(4 * shape.tensors() + 5);
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
            if (merged) {
                inputs.put(USE_CACHE_BRANCH, track(created, OnnxTensor.createTensor(env, new boolean[] {pastLength > 0})));
            }
            long[] pastDims = {rows, heads, pastLength, headDim};
            long[] presentDims = {rows, heads, total, headDim};
            int pastBytes = rows * heads * pastLength * headDim * bytes;
            int presentBytes = rows * heads * total * headDim * bytes;
            OnnxJavaType type = shape.precision().onnxType();
            Map<String, OnnxTensor> outputs = new HashMap<>();
            for (int t = 0; t < shape.tensors(); t++) {
                inputs.put(pastNames[t], track(created, OnnxTensor.createTensor(env, window(past[t], pastBytes), pastDims, type)));
                outputs.put(presentNames[t], track(created, OnnxTensor.createTensor(env, window(present[t], presentBytes),
                        presentDims, type)));
            }
            long[] logitsDims = {rows, newTokens, vocab};
            int logitsCount = rows * newTokens * vocab;
            if (logitsPrecision == Precision.FLOAT32) {
                outputs.put("logits", track(created, OnnxTensor.createTensor(env, logits.slice(0, logitsCount), logitsDims)));
            } else {
                if (halfLogits.capacity() < logitsCount * 2) {
                    halfLogits = ByteBuffer.allocateDirect(logitsCount * 4).order(ByteOrder.nativeOrder());
                }
                outputs.put("logits", track(created, OnnxTensor.createTensor(env, window(halfLogits, logitsCount * 2),
                        logitsDims, OnnxJavaType.FLOAT16)));
            }
            session.run(inputs, outputs).close();
            if (logitsPrecision == Precision.FLOAT16) {
                ShortBuffer half = halfLogits.asShortBuffer();
                for (int i = 0; i < logitsCount; i++) {
                    logits.put(i, Float.float16ToFloat(half.get(i)));
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("decoder run failed (rows " + rows + ", new tokens " + newTokens
                    + ", past " + pastLength + "): " + e.getMessage(), e);
        } finally {
            created.forEach(OnnxTensor::close);
        }
    }

    /** The first {@code bytes} bytes of a direct buffer, in native order (what ONNX Runtime reads and writes). */
    private static ByteBuffer window(ByteBuffer buffer, int bytes) {
        return buffer.slice(0, bytes).order(ByteOrder.nativeOrder());
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
