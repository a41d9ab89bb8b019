package io.ttsmesh.runtime;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextTokenizerTest {

    private static final List<String> TEXTS = List.of("", "Q: 8*(8*(51-13))\n", "8*38=304\n8*304=2432\nA: 2432",
            " leading space", "Hello World, ÉCOLE über café", "Q: 12+7*3 ки\nStep 1: 7*3=21 ки\n", "<|im_end|>\n\t tabs  and  spaces",
            "数学 🙂 emoji");

    /**
     * The ids read alone are DJL's {@code Encoding} ids, for every bundled tokenizer and every kind of text (a DJL
     * that rewrote text by default, such as a prefix space, would fail here).
     */
    @ParameterizedTest
    @ValueSource(strings = {"generator", "prm", "fixtures/qwen2", "fixtures/llama", "fixtures/qwen2-prm",
            "fixtures/math-shepherd-prm"})
    void theIdsAloneAreTheIdsOfDjlsEncoding(String model) throws Exception {
        Path json = BundledModels.root().resolve(model).resolve("tokenizer.json");
        try (TextTokenizer tokenizer = TextTokenizer.load(json, 1 << 20);
             HuggingFaceTokenizer djl = HuggingFaceTokenizer.newInstance(json, TextTokenizer.DJL_OPTIONS)) {
            for (String text : TEXTS) {
                assertThat(tokenizer.encode(text)).as(model + ": " + text).isEqualTo(djl.encode(text, false, false).getIds());
            }
        }
    }

    @Test
    void nullTextIsRefusedBeforeTheNativeCall() {
        try (TextTokenizer tokenizer = TextTokenizer.load(BundledModels.generator().resolve("tokenizer.json"), 1 << 20)) {
            assertThatThrownBy(() -> tokenizer.encode(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("text");
        }
    }
}
