package io.ttsmesh.bench.generator;

import io.ttsmesh.bench.BenchJson;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The PyTorch eager reference (bench/python/generator_reference.py), one long-lived Python process. */
final class PyTorchReference implements DecodePath {


    private final Process process;
    private final BufferedWriter requests;
    private final BufferedReader answers;
    private final String torchVersion;

    PyTorchReference(String python, Path repo, Path modelDir, int threads, Path log) throws Exception {
        process = new ProcessBuilder(python, repo.resolve("bench/python/generator_reference.py").toString(),
                repo.toAbsolutePath().toString(), modelDir.toAbsolutePath().toString(), String.valueOf(threads))
                .redirectError(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        JsonNode ready = read();
        torchVersion = ready.path("torch").asText();
    }

    String torchVersion() {
        return torchVersion;
    }

    @Override
    public String name() {
        return "PyTorch eager reference";
    }

    @Override
    public Measurement run(Workload w, int branches) throws Exception {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", "run");
        request.put("prompt", w.promptTokens());
        request.put("branches", branches);
        request.put("tokens", w.tokens());
        request.put("first_step_max", w.firstStepMax());
        request.put("delimiter", w.delimiterToken());
        request.put("eos", w.eosTokens());
        request.put("temperature", w.temperature());
        request.put("seed", w.seed());
        JsonNode answer = call(request);
        return new Measurement(answer.path("ttfs_ms").isNumber() ? answer.get("ttfs_ms").asDouble() : Double.NaN,
                answer.get("tokens").asLong(), answer.get("seconds").asDouble(), answer.get("cpu_seconds").asDouble());
    }

    int[] greedy(int[] prompt, int count) throws Exception {
        JsonNode answer = call(Map.of("op", "greedy", "prompt", prompt, "tokens", count));
        int[] tokens = new int[answer.get("tokens").size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = answer.get("tokens").get(i).asInt();
        }
        return tokens;
    }

    private JsonNode call(Object request) throws Exception {
        requests.write(BenchJson.MAPPER.writeValueAsString(request));
        requests.newLine();
        requests.flush();
        return read();
    }

    private JsonNode read() throws Exception {
        String line = answers.readLine();
        if (line == null) {
            throw new IllegalStateException("the PyTorch reference exited (exit " + process.waitFor() + ")");
        }
        JsonNode node = BenchJson.MAPPER.readTree(line);
        if (node.has("error")) {
            throw new IllegalStateException("PyTorch reference: " + node.get("error").asText());
        }
        return node;
    }

    @Override
    public void close() throws Exception {
        requests.close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
