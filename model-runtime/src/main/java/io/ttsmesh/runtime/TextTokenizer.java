package io.ttsmesh.runtime;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face {@code tokenizer.json} loaded offline by DJL. Special tokens are never added
 * implicitly: prompts are formatted by configuration, so what is encoded is exactly what the model sees.
 *
 * <p>{@link #encode} asks the native tokenizer for the ids alone. DJL's {@code Encoding} also copies every token's
 * string, offsets, masks and word ids across JNI (ten native calls, a Java string per token), which made most of the
 * verifier's CPU outside its model. Skipping DJL's {@code encode} also skips its Java-side rewrites of the text (a
 * prefix space, lower case, stripped accents); they only apply when asked for in the options or a
 * {@code tokenizer_config.json}, and {@link #load} asks for none and reads the {@code tokenizer.json} alone.
 */
public final class TextTokenizer implements AutoCloseable {

    /**
     * The options {@link #load} gives DJL: no special tokens, no truncation, no padding (and none of DJL's text
     * rewrites). A DJL tokenizer that is to encode as this one does (a benchmark's or a test's baseline) takes them too.
     */
    public static final Map<String, String> DJL_OPTIONS = Map.of("addSpecialTokens", "false", "truncation", "false",
            "padding", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final String[] tokenTexts;
    private final Path file;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int vocabSize, Path file) {
        this.tokenizer = tokenizer;
        this.tokenTexts = new String[vocabSize];
        this.file = file;
    }

    public static TextTokenizer load(Path tokenizerJson, int vocabSize) {
        try {
            var tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, DJL_OPTIONS);
            return new TextTokenizer(tokenizer, vocabSize, tokenizerJson);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer " + tokenizerJson, e);
        }
    }

    /** The tokenizer.json this was loaded from. */
    public Path file() {
        return file;
    }

    public long[] encode(String text) {
        Objects.requireNonNull(text, "text");
        long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false);
        try {
            return TokenizersLibrary.LIB.getTokenIds(encoding);
        } finally {
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
    }

    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    /** The text of one token alone, special tokens included (e.g. "<|im_end|>"). */
    public String tokenString(int id) {
        return tokenizer.decode(new long[] {id}, false);
    }

    /** The text of one token alone (cached); special tokens decode to "". */
    public String tokenText(int id) {
        if (id < 0 || id >= tokenTexts.length) {
            return "";
        }
        String text = tokenTexts[id];
        if (text == null) {
            text = tokenizer.decode(new long[] {id}, true);
            tokenTexts[id] = text;
        }
        return text;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
