package io.ttsmesh.verifier.prm;

import io.ttsmesh.runtime.TextTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * How a process reward model wants its input and where and how its step scores are read: configuration,
 * not code. A convention is a property set (keys documented in {@code conventions/tts-testbed-prm.properties});
 * three ship with the engine: {@code tts-testbed-prm} (the bundled PRM), {@code qwen2.5-math-prm} and
 * {@code math-shepherd}.
 *
 * @param questionTemplate text before the steps, {@code {question}} replaced by the question
 * @param stepSeparator appended after every step, the last one included
 * @param scoreToken text whose last token marks a score position
 * @param scoreTokenId explicit id of that token, or -1 to encode {@code scoreToken}
 * @param readout how the logits at a score position become a score
 */
public record ScoringConvention(String name, String questionTemplate, String stepSeparator, String scoreToken,
                                int scoreTokenId, Readout readout) {

    public static final String BUNDLED = "tts-testbed-prm";
    public static final List<String> BUILT_IN = List.of(BUNDLED, "qwen2.5-math-prm", "math-shepherd");

    /** How logits become a score in [0, 1]. */
    public sealed interface Readout {
    }

    /** Logits [batch, seq, classes]: softmax over the classes, the probability of {@code positiveIndex}. */
    public record TwoClass(int positiveIndex) implements Readout {
    }

    /**
     * Logits over the vocabulary: softmax restricted to the two tokens, the probability of the positive
     * one. A token is given as text (its last token id is used) or as an id (>= 0 wins).
     */
    public record TokenPair(String positiveToken, int positiveTokenId, String negativeToken, int negativeTokenId)
            implements Readout {
    }

    public ScoringConvention {
        if (!questionTemplate.contains("{question}")) {
            throw new IllegalArgumentException("convention " + name + ": question-template has no {question}");
        }
        if (stepSeparator.isEmpty()) {
            throw new IllegalArgumentException("convention " + name + ": step-separator is empty");
        }
        if (scoreToken.isEmpty() && scoreTokenId < 0) {
            throw new IllegalArgumentException("convention " + name + ": set score-token or score-token-id");
        }
    }

    /**
     * A built-in convention by name, or a {@code .properties} file by path.
     */
    public static ScoringConvention load(String nameOrPath) {
        if (BUILT_IN.contains(nameOrPath)) {
            String resource = "/io/ttsmesh/verifier/conventions/" + nameOrPath + ".properties";
            try (InputStream in = ScoringConvention.class.getResourceAsStream(resource)) {
                return fromProperties(read(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read built-in convention " + resource, e);
            }
        }
        Path file = Path.of(nameOrPath);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("scoring convention '" + nameOrPath + "' (tts.verifier.model.convention) "
                    + "is neither built in " + BUILT_IN + " nor a properties file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return fromProperties(read(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read convention " + file, e);
        }
    }

    /** Property files are UTF-8 (separators such as Math-Shepherd's " ки" are not Latin-1). */
    private static Properties read(InputStream in) throws IOException {
        Properties p = new Properties();
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        return p;
    }

    public static ScoringConvention fromProperties(Properties p) {
        String name = p.getProperty("name", "custom");
        String kind = p.getProperty("readout", "two-class").trim().toLowerCase(Locale.ROOT);
        Readout readout = switch (kind) {
            case "two-class" -> new TwoClass(Integer.parseInt(p.getProperty("positive-index", "1").trim()));
            case "token-pair" -> new TokenPair(p.getProperty("positive-token", ""),
                    intOr(p, "positive-token-id"), p.getProperty("negative-token", ""), intOr(p, "negative-token-id"));
            default -> throw new IllegalArgumentException("convention " + name + ": readout '" + kind
                    + "' is unknown (two-class or token-pair)");
        };
        return new ScoringConvention(name, required(p, name, "question-template"), required(p, name, "step-separator"),
                p.getProperty("score-token", ""), intOr(p, "score-token-id"), readout);
    }

    private static String required(Properties p, String name, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("convention " + name + ": " + key + " is missing");
        }
        return v;
    }

    private static int intOr(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? -1 : Integer.parseInt(v.trim());
    }

    public String questionPrefix(String question) {
        return questionTemplate.replace("{question}", question);
    }

    /** The token id that marks score positions under {@code tokenizer}. */
    public int scoreTokenId(TextTokenizer tokenizer) {
        return scoreTokenId >= 0 ? scoreTokenId : lastId(tokenizer, scoreToken, "score-token");
    }

    /**
     * The id of the last token of {@code text}, which must be a token of the vocabulary: the text encodes to
     * one token, or its last token is the text itself (Math-Shepherd's " ки" encodes to "▁" "▁ки" in its
     * tokenizer). A tokenizer without the token (a Qwen2.5 tokenizer lacking the PRM's added {@code <extra_0>},
     * which then encodes to "<", "extra", "_", "0", ">") would put the scores at the wrong positions: refused.
     */
    static int lastId(TextTokenizer tokenizer, String text, String key) {
        long[] ids = tokenizer.encode(text);
        if (ids.length == 0) {
            throw new IllegalArgumentException(tokenizer.file() + ": " + key + " '" + printable(text)
                    + "' encodes to no token");
        }
        int last = Math.toIntExact(ids[ids.length - 1]);
        if (ids.length > 1 && !tokenizer.tokenString(last).strip().equals(text.strip())) {
            throw new IllegalArgumentException(tokenizer.file() + " has no token " + key + "='" + printable(text)
                    + "': it encodes to " + ids.length + " tokens (the last is '" + printable(tokenizer.tokenString(last))
                    + "'); add it to the tokenizer (added_tokens) or set " + key + "-id");
        }
        return last;
    }

    private static String printable(String s) {
        return s.replace("\n", "\\n").replace("\t", "\\t");
    }
}
