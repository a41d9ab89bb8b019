package io.ttsmesh.generator.engine.text;

import io.ttsmesh.runtime.TextTokenizer;

import java.util.Arrays;

/**
 * Turns a growing token sequence into text, piece by piece, correctly for byte-level BPE and
 * SentencePiece vocabularies: a token may hold only part of a UTF-8 character, and a token's text may
 * depend on its left neighbour (leading-space rules). The text of new tokens is the decode of a window
 * starting a little before them minus the decode of that window without them (the method of Hugging
 * Face's text-generation-inference); text ending in an incomplete character is held back until the
 * character completes (or the sequence ends).
 */
public final class IncrementalDetokenizer {

    private static final char REPLACEMENT = '\uFFFD';

    private final TextTokenizer tokenizer;
    private int prefixOffset;
    private int readOffset;

    /** Starts after {@code known} tokens whose text is already known (the prompt). */
    public IncrementalDetokenizer(TextTokenizer tokenizer, int known) {
        this.tokenizer = tokenizer;
        this.readOffset = known;
        this.prefixOffset = Math.max(0, known - 5);
    }

    private IncrementalDetokenizer(TextTokenizer tokenizer, int prefixOffset, int readOffset) {
        this.tokenizer = tokenizer;
        this.prefixOffset = prefixOffset;
        this.readOffset = readOffset;
    }

    public IncrementalDetokenizer copy() {
        return new IncrementalDetokenizer(tokenizer, prefixOffset, readOffset);
    }

    /**
     * The text of {@code tokens[readOffset, length)} not yet returned. Unless {@code force}, text that
     * ends in an incomplete character is held back (returns "").
     */
    public String next(int[] tokens, int length, boolean force) {
        if (length <= readOffset) {
            return "";
        }
        String before = decode(tokens, prefixOffset, readOffset);
        String all = decode(tokens, prefixOffset, length);
        if (all.length() > before.length() && (force || all.charAt(all.length() - 1) != REPLACEMENT)) {
            prefixOffset = readOffset;
            readOffset = length;
            return all.substring(before.length());
        }
        if (force) {
            prefixOffset = readOffset;
            readOffset = length;
        }
        return "";
    }

    /** Marks {@code tokens[readOffset, length)} as known text (appended by the client, not generated). */
    public void skipTo(int length) {
        readOffset = length;
        prefixOffset = Math.max(0, length - 5);
    }

    private String decode(int[] tokens, int from, int to) {
        if (from >= to) {
            return "";
        }
        long[] ids = new long[to - from];
        for (int i = from; i < to; i++) {
            ids[i - from] = tokens[i];
        }
        return tokenizer.decode(ids);
    }

    /** Whether a token may complete one of {@code stops} (or is undecodable alone), judged from its own text. */
    public boolean mayComplete(int token, String[] stops) {
        String text = tokenizer.tokenText(token);
        if (text.isEmpty() || text.indexOf(REPLACEMENT) >= 0) {
            return true;
        }
        for (String stop : stops) {
            if (!stop.isEmpty() && text.indexOf(stop.charAt(stop.length() - 1)) >= 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "IncrementalDetokenizer" + Arrays.toString(new int[] {prefixOffset, readOffset});
    }
}
