package io.ttsmesh.k8s.podman;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The podman command line, as the test drives it (the same commands a person would type). */
final class Podman {

    record Result(int exitCode, String output) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Podman() {
    }

    /** Runs {@code podman args...}; stdout and stderr together, whatever the exit code. */
    static Result exec(String... args) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        return run(command, null, Duration.ofMinutes(2));
    }

    /** Runs {@code podman args...} and returns its output; fails on a non-zero exit. */
    static String ok(String... args) {
        Result result = exec(args);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("podman " + String.join(" ", args) + " exited " + result.exitCode() + ": " + result.output());
        }
        return result.output();
    }

    static JsonNode inspect(String container) {
        return json(ok("inspect", "--type", "container", container)).get(0);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    /** A command of its own (a script), output to a log file, within a time limit. */
    static Result run(List<String> command, Path log, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (log != null) {
            builder.redirectOutput(log.toFile());
        }
        try {
            Process process = builder.start();
            byte[] output = log == null ? process.getInputStream().readAllBytes() : new byte[0];
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeout);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
