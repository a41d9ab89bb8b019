package io.ttsmesh.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model directory in the Hugging Face Optimum layout: {@code config.json}, {@code tokenizer.json}, the ONNX
 * graph (by default {@code model.onnx}; Optimum also writes {@code decoder_model_merged.onnx}, and a float16
 * export may be renamed) and optionally {@code generation_config.json} and {@code tokenizer_config.json}.
 *
 * @param graphFile the graph's file name inside the directory
 */
public record ModelDirectory(Path path, ModelConfig config, String graphFile) {

    public static final String DEFAULT_GRAPH = "model.onnx";

    public static ModelDirectory open(Path path) {
        return open(path, null);
    }

    /** @param graphFile the graph inside the directory; null or blank: {@value #DEFAULT_GRAPH} */
    public static ModelDirectory open(Path path, String graphFile) {
        String graph = graphFile == null || graphFile.isBlank() ? DEFAULT_GRAPH : graphFile.trim();
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("model directory not found: " + path.toAbsolutePath());
        }
        if (Path.of(graph).isAbsolute() || graph.contains("..")) {
            throw new IllegalArgumentException("graph file '" + graph + "' must be a file name inside " + path);
        }
        for (String required : new String[] {"config.json", "tokenizer.json", graph}) {
            if (!Files.isRegularFile(path.resolve(required))) {
                throw new IllegalArgumentException("model directory " + path + " has no " + required
                        + " (expected the Optimum layout: config.json, tokenizer.json, " + graph + ")");
            }
        }
        try {
            return new ModelDirectory(path, ModelConfig.read(path.resolve("config.json")), graph);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path.resolve("config.json"), e);
        }
    }

    public Path onnxFile() {
        return path.resolve(graphFile);
    }

    public Path tokenizerFile() {
        return path.resolve("tokenizer.json");
    }

    public Path tokenizerConfigFile() {
        return path.resolve("tokenizer_config.json");
    }

    public Path generationConfigFile() {
        return path.resolve("generation_config.json");
    }

    public String name() {
        return path.getFileName().toString();
    }

    public TextTokenizer loadTokenizer() {
        return TextTokenizer.load(tokenizerFile(), config.vocabSize());
    }
}
