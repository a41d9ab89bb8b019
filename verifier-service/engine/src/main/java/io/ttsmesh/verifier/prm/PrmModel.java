package io.ttsmesh.verifier.prm;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.ttsmesh.runtime.ExecutionProvider;
import io.ttsmesh.runtime.ModelConfig;
import io.ttsmesh.runtime.ModelDirectory;
import io.ttsmesh.runtime.OnnxSessions;
import io.ttsmesh.runtime.TextTokenizer;
import io.ttsmesh.verifier.prefix.KvSegment;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A process reward model in ONNX Runtime: its tokenizer, scoring convention and graph layout. Two layouts
 * are understood: the plain one of the public PRM exports ({@code input_ids}, {@code attention_mask}, maybe
 * {@code position_ids} -> {@code logits}) and the Optimum decoder layout with a KV past
 * ({@code past_key_values.{i}.key|value} -> {@code present.{i}.key|value}), which the bundled PRM uses so
 * that a scored prefix need not be computed again.
 *
 * <p>Batches are padded like this, per row: the past on the left (zeros, masked out) up to the longest past,
 * then the new tokens, then padding on the right (masked out, position 0) up to the longest new chunk.
 * Right padding keeps every real token's position and view of the sequence exactly as unpadded, for causal
 * and step-causal attention alike; left-padding the past keeps the new tokens of every row adjacent to
 * their own past.
 */
public final class PrmModel implements AutoCloseable {

    private static final String LOGITS = "logits";
    private static final String PAST_PREFIX = "past_key_values.";
    private static final float[] ZEROS = new float[4096];
    /** Direct memory one scoring thread keeps for inputs and pinned outputs between runs. */
    private static final long SCRATCH_BYTES = 64L << 20;

    private final String id;
    private final ModelConfig config;
    private final TextTokenizer tokenizer;
    private final CandidateEncoder encoder;
    private final ScoreReadout readout;
    private final OrtSession session;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final boolean hasPositionIds;
    private final int layers;
    private final int kvHeads;
    private final int headDim;
    private final long padId;
    private final int logitsWidth;
    private final ThreadLocal<DirectBuffers> scratch;

    private PrmModel(String id, ModelConfig config, TextTokenizer tokenizer, ScoringConvention convention,
                     OrtSession session, int maxTokens) throws OrtException {
        this.id = id;
        this.config = config;
        this.tokenizer = tokenizer;
        this.session = session;
        this.readout = ScoreReadout.resolve(convention.readout(), tokenizer);
        this.encoder = new CandidateEncoder(convention, tokenizer, maxTokens);
        Set<String> inputs = session.getInputNames();
        for (String required : List.of("input_ids", "attention_mask")) {
            if (!inputs.contains(required)) {
                throw new IllegalArgumentException("PRM graph " + id + " has no input '" + required + "' (inputs: "
                        + inputs + ")");
            }
        }
        if (!session.getOutputNames().contains(LOGITS)) {
            throw new IllegalArgumentException("PRM graph " + id + " has no output 'logits' (outputs: "
                    + session.getOutputNames() + ")");
        }
        this.hasPositionIds = inputs.contains("position_ids");
        int pastLayers = 0;
        while (inputs.contains(PAST_PREFIX + pastLayers + ".key")) {
            pastLayers++;
        }
        this.layers = pastLayers;
        int heads = config.kvHeads();
        int dim = config.headDim();
        if (pastLayers > 0) {
            if (!isFloat32(session.getInputInfo().get(PAST_PREFIX + "0.key"))) {
                throw new IllegalArgumentException("PRM graph " + id + ": " + PAST_PREFIX + "0.key is "
                        + session.getInputInfo().get(PAST_PREFIX + "0.key").getInfo() + "; a PRM's KV past must be float32 "
                        + "(export a float16 PRM without past inputs, as the public PRM exports are)");
            }
            long[] shape = shape(session.getInputInfo().get(PAST_PREFIX + "0.key"));
            heads = shape.length == 4 && shape[1] > 0 ? (int) shape[1] : heads;
            dim = shape.length == 4 && shape[3] > 0 ? (int) shape[3] : dim;
            for (int l = 0; l < pastLayers; l++) {
                for (String kind : List.of("key", "value")) {
                    String name = "present." + l + "." + kind;
                    if (!session.getOutputNames().contains(name)) {
                        throw new IllegalArgumentException("PRM graph " + id + " has past inputs but no output " + name);
                    }
                }
            }
        }
        this.kvHeads = heads;
        this.headDim = dim;
        this.padId = Math.max(0, config.padTokenId());
        long[] logitsShape = shape(session.getOutputInfo().get(LOGITS));
        long width = logitsShape.length == 3 ? logitsShape[2] : -1;
        if (width > 0 && width < readout.minWidth()) {
            throw new IllegalArgumentException("PRM graph " + id + ": logits have " + width + " columns, readout "
                    + readout + " needs " + readout.minWidth());
        }
        // float32 logits are written straight into our buffer; float16 ones (a --dtype fp16 export) are fetched and
        // widened to float32 by ONNX Runtime
        this.logitsWidth = isFloat32(session.getOutputInfo().get(LOGITS)) ? (int) width : -1;
        int slots = 1 + 4 * pastLayers;
        this.scratch = ThreadLocal.withInitial(() -> new DirectBuffers(slots, SCRATCH_BYTES));
    }

    /**
     * Opens the model directory with a scoring convention, checking the convention against what the
     * model's {@code config.json} declares about itself ({@code delimiter_token_id},
     * {@code positive_label_index}).
     *
     * @param maxTokens longest candidate to accept; 0 = the model's context ({@code max_position_embeddings})
     */
    public static PrmModel open(ModelDirectory dir, ScoringConvention convention, ExecutionProvider provider,
                                int intraOpThreads, int maxTokens) {
        ModelConfig config = dir.config();
        int context = maxTokens > 0 ? Math.min(maxTokens, config.contextLength()) : config.contextLength();
        TextTokenizer tokenizer = dir.loadTokenizer();
        OrtSession session = null;
        try {
            checkAgainstConfig(convention, tokenizer, config.raw(), dir);
            session = OnnxSessions.open(dir.onnxFile(), provider, intraOpThreads);
            String id = config.modelType().isEmpty() ? dir.name() : config.modelType();
            return new PrmModel(id, config, tokenizer, convention, session, context);
        } catch (OrtException | RuntimeException e) {
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException ignored) {
                    // already failing
                }
            }
            tokenizer.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void checkAgainstConfig(ScoringConvention convention, TextTokenizer tokenizer, JsonNode raw,
                                           ModelDirectory dir) {
        int scoreId = convention.scoreTokenId(tokenizer);
        if (raw.has("delimiter_token_id") && raw.get("delimiter_token_id").asInt() != scoreId) {
            throw new IllegalArgumentException("convention " + convention.name() + " reads scores at token " + scoreId
                    + " but " + dir.path().resolve("config.json") + " says delimiter_token_id="
                    + raw.get("delimiter_token_id").asInt());
        }
        if (raw.has("positive_label_index") && convention.readout() instanceof ScoringConvention.TwoClass c
                && raw.get("positive_label_index").asInt() != c.positiveIndex()) {
            throw new IllegalArgumentException("convention " + convention.name() + " takes class " + c.positiveIndex()
                    + " but " + dir.path().resolve("config.json") + " says positive_label_index="
                    + raw.get("positive_label_index").asInt());
        }
    }

    private static boolean isFloat32(NodeInfo info) {
        return info != null && info.getInfo() instanceof TensorInfo t && t.type == ai.onnxruntime.OnnxJavaType.FLOAT;
    }

    private static long[] shape(NodeInfo info) {
        ValueInfo v = info == null ? null : info.getInfo();
        return v instanceof TensorInfo t ? t.getShape() : new long[0];
    }

    public String id() {
        return id;
    }

    public ModelConfig config() {
        return config;
    }

    public CandidateEncoder encoder() {
        return encoder;
    }

    public int contextLength() {
        return encoder.maxTokens();
    }

    /** Whether the graph takes a KV past, so that a scored prefix can be continued instead of recomputed. */
    public boolean hasPast() {
        return layers > 0;
    }

    /** Floats of KV one token takes: layers x (key + value) x heads x head dim. */
    public int kvFloatsPerToken() {
        return layers * 2 * kvHeads * headDim;
    }

    /**
     * One row of a batch: the new tokens {@code tokens[from, to)} on top of {@code past} (its KV for
     * {@code tokens[0, from)}; null when from = 0).
     *
     * @param readAt absolute positions in [from, to) whose score to read
     * @param keepKv ascending prefix lengths in (from, to] whose KV to hand back, e.g. to cache them
     */
    public record Row(long[] tokens, int from, int to, KvSegment past, int[] readAt, int[] keepKv) {
    }

    /**
     * @param scores per row, the scores at its {@code readAt}
     * @param kv per row, per {@code keepKv} entry, the KV of that prefix: a segment of the new tokens up to
     *           that length, chained to the previous entry's segment (the first to the row's past)
     */
    public record Output(float[][] scores, KvSegment[][] kv) {
    }

    /** Runs the rows as one batch. */
    public Output run(List<Row> rows) throws OrtException {
        int b = rows.size();
        int pastMax = 0;
        int newMax = 1;
        boolean keep = false;
        for (Row r : rows) {
            if (r.from() > 0 && !hasPast()) {
                throw new IllegalArgumentException("model " + id + " takes no past; rows must start at 0");
            }
            pastMax = Math.max(pastMax, r.from());
            newMax = Math.max(newMax, r.to() - r.from());
            keep |= r.keepKv().length > 0;
        }
        int total = pastMax + newMax;
        LongBuffer ids = LongBuffer.allocate(b * newMax);
        LongBuffer positions = LongBuffer.allocate(b * newMax);
        LongBuffer mask = LongBuffer.allocate(b * total);
        for (int r = 0; r < b; r++) {
            Row row = rows.get(r);
            int n = row.to() - row.from();
            for (int j = 0; j < newMax; j++) {
                boolean real = j < n;
                ids.put(r * newMax + j, real ? row.tokens()[row.from() + j] : padId);
                positions.put(r * newMax + j, real ? row.from() + j : 0);
            }
            for (int t = pastMax - row.from(); t < pastMax + n; t++) {
                mask.put(r * total + t, 1);
            }
        }
        DirectBuffers buffers = scratch.get();
        Map<String, OnnxTensor> feeds = new HashMap<>();
        Map<String, OnnxTensor> pinned = new HashMap<>();
        try {
            feeds.put("input_ids", OnnxTensor.createTensor(env, ids, new long[] {b, newMax}));
            feeds.put("attention_mask", OnnxTensor.createTensor(env, mask, new long[] {b, total}));
            if (hasPositionIds) {
                feeds.put("position_ids", OnnxTensor.createTensor(env, positions, new long[] {b, newMax}));
            }
            long[] kvShape = {b, kvHeads, pastMax, headDim};
            long[] presentShape = {b, kvHeads, total, headDim};
            FloatBuffer[] present = new FloatBuffer[layers * 2];
            for (int l = 0; l < layers; l++) {
                for (int c = 0; c < 2; c++) {
                    String kind = c == 0 ? ".key" : ".value";
                    FloatBuffer past = buffers.get(1 + 2 * l + c, b * kvHeads * pastMax * headDim);
                    fillPast(past, rows, l, c, pastMax);
                    feeds.put(PAST_PREFIX + l + kind, OnnxTensor.createTensor(env, past, kvShape));
                    if (keep) {
                        present[2 * l + c] = buffers.get(1 + 2 * layers + 2 * l + c, b * kvHeads * total * headDim);
                        pinned.put("present." + l + kind, OnnxTensor.createTensor(env, present[2 * l + c], presentShape));
                    }
                }
            }
            FloatBuffer logits = null;
            if (logitsWidth > 0) {
                logits = buffers.get(0, b * newMax * logitsWidth);
                pinned.put(LOGITS, OnnxTensor.createTensor(env, logits, new long[] {b, newMax, logitsWidth}));
            }
            Set<String> fetch = logits == null ? Set.of(LOGITS) : Set.of();
            try (OrtSession.Result result = session.run(feeds, fetch, pinned)) {
                int width = logitsWidth;
                if (logits == null) {
                    OnnxTensor out = (OnnxTensor) result.get(LOGITS).orElseThrow();
                    width = (int) out.getInfo().getShape()[2];
                    logits = out.getFloatBuffer();
                }
                float[] position = new float[width];
                float[][] scores = new float[b][];
                for (int r = 0; r < b; r++) {
                    Row row = rows.get(r);
                    scores[r] = new float[row.readAt().length];
                    for (int i = 0; i < row.readAt().length; i++) {
                        int rel = row.readAt()[i] - row.from();
                        logits.get((r * newMax + rel) * width, position, 0, width);
                        scores[r][i] = readout.score(position, 0, width);
                    }
                }
                KvSegment[][] kv = new KvSegment[b][];
                for (int r = 0; r < b; r++) {
                    Row row = rows.get(r);
                    kv[r] = new KvSegment[row.keepKv().length];
                    KvSegment parent = row.past();
                    for (int i = 0; i < row.keepKv().length; i++) {
                        int from = parent == null ? 0 : parent.end();
                        int length = row.keepKv()[i] - from;
                        // in the present tensors, this row's token t sits at pastMax - row.from() + t
                        float[] data = slice(present, r, pastMax - row.from() + from, length, total);
                        parent = new KvSegment(parent, from, length, data);
                        kv[r][i] = parent;
                    }
                }
                return new Output(scores, kv);
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
            pinned.values().forEach(OnnxTensor::close);
        }
    }

    /** Rows' pasts for one layer's keys (c = 0) or values (c = 1), left-padded with zeros to {@code pastMax}. */
    private void fillPast(FloatBuffer buf, List<Row> rows, int layer, int c, int pastMax) {
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int p = row.from();
            for (int h = 0; h < kvHeads; h++) {
                int at = (r * kvHeads + h) * pastMax * headDim;
                zero(buf, at, (pastMax - p) * headDim);
                for (KvSegment seg = row.past(); seg != null; seg = seg.parent()) {
                    int src = (((layer * 2 + c) * kvHeads + h) * seg.length()) * headDim;
                    buf.put(at + (pastMax - p + seg.start()) * headDim, seg.data(), src, seg.length() * headDim);
                }
            }
        }
    }

    private static void zero(FloatBuffer buf, int at, int n) {
        for (int done = 0; done < n; done += ZEROS.length) {
            buf.put(at + done, ZEROS, 0, Math.min(ZEROS.length, n - done));
        }
    }

    /** The KV of {@code length} tokens of row {@code r} from index {@code start} of the present tensors. */
    private float[] slice(FloatBuffer[] present, int r, int start, int length, int total) {
        float[] out = new float[layers * 2 * kvHeads * length * headDim];
        for (int lc = 0; lc < layers * 2; lc++) {
            for (int h = 0; h < kvHeads; h++) {
                int src = ((r * kvHeads + h) * total + start) * headDim;
                int dst = ((lc * kvHeads + h) * length) * headDim;
                present[lc].get(src, out, dst, length * headDim);
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing " + id + ": " + e.getMessage(), e);
        } finally {
            tokenizer.close();
        }
    }
}
