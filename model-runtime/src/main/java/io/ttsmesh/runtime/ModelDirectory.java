package io.ttsmesh.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model directory in the Hugging Face Optimum layout: {@code config.json}, {@code tokenizer.json},
 * {@code model.onnx} (and optionally {@code generation_config.json}).
 */
public record ModelDirectory(Path path, ModelConfig config) {

    public static ModelDirectory open(Path path) {
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("model directory not found: " + path.toAbsolutePath());
        }
        for (String required : new String[] {"config.json", "tokenizer.json", "model.onnx"}) {
            if (!Files.isRegularFile(path.resolve(required))) {
                throw new IllegalArgumentException("model directory " + path + " has no " + required
                        + " (expected the Optimum layout: config.json, tokenizer.json, model.onnx)");
            }
        }
        try {
            return new ModelDirectory(path, ModelConfig.read(path.resolve("config.json")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path.resolve("config.json"), e);
        }
    }

    public Path onnxFile() {
        return path.resolve("model.onnx");
    }

    public Path tokenizerFile() {
        return path.resolve("tokenizer.json");
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
