package io.ttsmesh.bench;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The bench module's one JSON mapper (thread-safe once configured, and costly to build): results, configs, question
 * samples and reports are read and written through it. Per-use settings are readers and writers derived from it;
 * per-type ones (snake_case names of a result record) are annotations on the type.
 */
public final class BenchJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    /** Indented output, for the reports people read. */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();
    /** Run configs are written by hand: // and block comments allowed. */
    public static final ObjectReader WITH_COMMENTS = MAPPER.reader().with(JsonReadFeature.ALLOW_JAVA_COMMENTS);

    private BenchJson() {
    }
}
