package io.ttsmesh.runtime;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} loaded offline by DJL. Special tokens are never added
 * implicitly: prompts are formatted by configuration, so what is encoded is exactly what the model sees.
 */
public final class TextTokenizer implements AutoCloseable {

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
            var tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
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
        Encoding encoding = tokenizer.encode(text, false, false);
        return encoding.getIds();
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
