package io.ttsmesh.bench.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ttsmesh.bench.BenchJson;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.runtime.TextTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code tts-bench tokenizer}: what encoding a text costs through {@link TextTokenizer#encode} (the native ids alone)
 * against DJL's {@code HuggingFaceTokenizer.encode(...).getIds()} (every token's string, offsets and masks copied
 * across JNI first), side by side in one JVM: the same texts (the verifier's candidates: held-out samples formatted
 * as question and steps) in alternating rounds, the first round reported apart (cold) from the rest (steady).
 */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
        description = "Encoding cost: ids alone (TextTokenizer) vs DJL's full Encoding, side by side.")
public class TokenizerBench implements Callable<Integer> {

    @Option(names = "--models", description = "The bundled models folder (default: found like the tests do).")
    Path models;

    @Option(names = "--tokenizers", split = ",", description = "Model folders under --models whose tokenizer.json is "
            + "measured (default: ${DEFAULT-VALUE}).")
    List<String> tokenizers = List.of("prm", "generator", "fixtures/qwen2");

    @Option(names = "--texts", description = "Candidate texts from models/eval/heldout-samples.jsonl (default: ${DEFAULT-VALUE}).")
    int textCount = 2000;

    @Option(names = "--rounds", description = "Rounds per path, alternating which goes first (default: ${DEFAULT-VALUE}).")
    int rounds = 12;

    @Option(names = "--out", description = "Results folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench/results");

    /** One path's timing over the rounds: the first round (cold) and the mean of the rest (steady). */
    record PathTime(double coldNsPerText, double steadyNsPerText) {
    }

    record Row(String tokenizer, int texts, double meanTokens, PathTime idsAlone, PathTime djlEncoding) {
        double steadyRatio() {
            return djlEncoding.steadyNsPerText() / idsAlone.steadyNsPerText();
        }
    }

    @Override
    public Integer call() throws Exception {
        Path root = models != null ? models : BundledModels.root();
        List<String> texts = candidates(root.resolve("eval/heldout-samples.jsonl"), textCount);
        List<Row> rows = new ArrayList<>();
        for (String name : tokenizers) {
            Path json = root.resolve(name).resolve("tokenizer.json");
            try (TextTokenizer ours = TextTokenizer.load(json, 1 << 20);
                 HuggingFaceTokenizer djl = HuggingFaceTokenizer.newInstance(json, TextTokenizer.DJL_OPTIONS)) {
                long tokens = 0;
                for (String t : texts) {
                    long[] a = ours.encode(t);
                    if (!Arrays.equals(a, djl.encode(t, false, false).getIds())) {
                        throw new IllegalStateException(name + ": the two paths encode differently: " + t);
                    }
                    tokens += a.length;
                }
                double[][] ns = new double[2][rounds];
                for (int r = 0; r < rounds; r++) {
                    boolean oursFirst = r % 2 == 0;
                    for (int k = 0; k < 2; k++) {
                        boolean runOurs = (k == 0) == oursFirst;
                        long start = System.nanoTime();
                        long sink = 0;
                        for (String t : texts) {
                            sink += runOurs ? ours.encode(t).length : djl.encode(t, false, false).getIds().length;
                        }
                        ns[runOurs ? 0 : 1][r] = (System.nanoTime() - start) / (double) texts.size();
                        if (sink != tokens) {
                            throw new IllegalStateException("token count changed between rounds");
                        }
                    }
                }
                Row row = new Row(name, texts.size(), tokens / (double) texts.size(), time(ns[0]), time(ns[1]));
                rows.add(row);
                System.out.printf(Locale.ROOT, "%s: %.1f tokens per text; us per text ids alone %.1f, DJL Encoding %.1f: %.2fx%n",
                        name, row.meanTokens(), row.idsAlone().steadyNsPerText() / 1000, row.djlEncoding().steadyNsPerText() / 1000,
                        row.steadyRatio());
            }
        }
        write(rows);
        return 0;
    }

    private PathTime time(double[] perRound) {
        double rest = 0;
        for (int r = 1; r < perRound.length; r++) {
            rest += perRound[r];
        }
        return new PathTime(perRound[0], perRound.length > 1 ? rest / (perRound.length - 1) : Double.NaN);
    }

    /** The verifier's texts: "Q: question\n" then each step and its newline, one per sample. */
    private static List<String> candidates(Path samples, int limit) throws IOException {
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(samples)) {
            JsonNode q = BenchJson.MAPPER.readTree(line);
            for (JsonNode sample : q.get("samples")) {
                StringBuilder text = new StringBuilder("Q: ").append(q.get("question").asText()).append('\n');
                sample.get("steps").forEach(step -> text.append(step.asText()).append('\n'));
                texts.add(text.toString());
                if (texts.size() == limit) {
                    return texts;
                }
            }
        }
        return texts;
    }

    private void write(List<Row> rows) throws IOException {
        Files.createDirectories(out);
        StringBuilder md = new StringBuilder("# Tokenizer: the ids alone vs DJL's full Encoding\n\n");
        md.append("`TextTokenizer.encode` asks the native tokenizer for the ids alone; DJL's `HuggingFaceTokenizer.encode(...)"
                + ".getIds()` first copies every token's string, offsets, masks and word ids across JNI. Same JVM, same "
                + "texts (").append(rows.isEmpty() ? 0 : rows.getFirst().texts()).append(" verifier candidates from "
                + "`models/eval/heldout-samples.jsonl`: question and steps), same ids checked for every text, ")
                .append(rounds).append(" rounds per path alternating which goes first; cold = the first round, steady = "
                        + "the mean of the others.\n\n");
        md.append("Command: `java --enable-native-access=ALL-UNNAMED -jar bench/target/tts-bench.jar tokenizer --texts ")
                .append(textCount).append(" --rounds ").append(rounds).append("`\n\n");
        md.append("- Run ").append(Instant.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.vm.version")).append("\n\n");
        md.append("| tokenizer | tokens per text | ids alone us, cold / steady | DJL Encoding us, cold / steady | "
                + "DJL / ids alone, steady |\n|---|---:|---:|---:|---:|\n");
        ObjectNode json = BenchJson.MAPPER.createObjectNode();
        json.put("benchmark", "tokenizer");
        json.put("texts", textCount);
        json.put("rounds", rounds);
        ArrayNode list = json.putArray("tokenizers");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f / %.1f | %.1f / %.1f | **%.2fx** |\n", r.tokenizer(),
                    r.meanTokens(), r.idsAlone().coldNsPerText() / 1000, r.idsAlone().steadyNsPerText() / 1000,
                    r.djlEncoding().coldNsPerText() / 1000, r.djlEncoding().steadyNsPerText() / 1000, r.steadyRatio()));
            ObjectNode o = list.addObject();
            o.put("tokenizer", r.tokenizer());
            o.put("tokens_per_text", r.meanTokens());
            o.put("ids_alone_us_cold", r.idsAlone().coldNsPerText() / 1000);
            o.put("ids_alone_us_steady", r.idsAlone().steadyNsPerText() / 1000);
            o.put("djl_encoding_us_cold", r.djlEncoding().coldNsPerText() / 1000);
            o.put("djl_encoding_us_steady", r.djlEncoding().steadyNsPerText() / 1000);
            o.put("ratio_steady", r.steadyRatio());
        }
        Files.writeString(out.resolve("tokenizer.md"), md);
        BenchJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out.resolve("tokenizer.json").toFile(), json);
        System.out.println("wrote " + out.resolve("tokenizer.md") + " and .json");
    }
}
