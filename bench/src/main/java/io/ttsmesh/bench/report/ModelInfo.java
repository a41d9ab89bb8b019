package io.ttsmesh.bench.report;

import io.ttsmesh.bench.eval.execution.Fingerprint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which models a report was made with: the SHA-256 of both ONNX files, and whether models/README.md still
 * calls them provisional.
 */
public record ModelInfo(Path root, String generatorSha, String prmSha, boolean provisional) {

    public static ModelInfo of(Path root) {
        boolean provisional;
        try {
            provisional = Files.readString(root.resolve("README.md")).toUpperCase().contains("PROVISIONAL");
        } catch (IOException e) {
            provisional = true;
        }
        return new ModelInfo(root, Fingerprint.fileHash(root.resolve("generator/model.onnx")),
                Fingerprint.fileHash(root.resolve("prm/model.onnx")), provisional);
    }

    /** "generator 1a2b3c4d5e6f, prm 0f9e8d7c6b5a". */
    public String shortId() {
        return "generator " + generatorSha.substring(0, 12) + ", prm " + prmSha.substring(0, 12);
    }
}
