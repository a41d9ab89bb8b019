package io.ttsmesh.verifier.prm;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScoringConventionTest {

    @Test
    void builtInConventionsSayWhatTheModelCardsDo() {
        ScoringConvention bundled = ScoringConvention.load("tts-testbed-prm");
        assertThat(bundled.questionPrefix("2+3")).isEqualTo("Q: 2+3\n");
        assertThat(bundled.stepSeparator()).isEqualTo("\n");
        assertThat(bundled.readout()).isEqualTo(new ScoringConvention.TwoClass(1));

        ScoringConvention qwen = ScoringConvention.load("qwen2.5-math-prm");
        assertThat(qwen.questionPrefix("Q?")).isEqualTo("<|im_start|>system\nPlease reason step by step, and put "
                + "your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\nQ?<|im_end|>\n"
                + "<|im_start|>assistant\n");
        assertThat(qwen.stepSeparator()).isEqualTo("<extra_0>");
        assertThat(qwen.readout()).isEqualTo(new ScoringConvention.TwoClass(1));

        ScoringConvention shepherd = ScoringConvention.load("math-shepherd");
        assertThat(shepherd.questionPrefix("Q?")).isEqualTo("<s>Q? ");
        assertThat(shepherd.stepSeparator()).isEqualTo(" \u043a\u0438\n");
        assertThat(shepherd.scoreToken()).isEqualTo(" \u043a\u0438");
        assertThat(shepherd.readout()).isEqualTo(new ScoringConvention.TokenPair("+", -1, "-", -1));
    }

    @Test
    void aConventionFileCanBeGivenByPath() throws Exception {
        Path file = Files.createTempFile("convention", ".properties");
        Files.writeString(file, """
                name=mine
                question-template=Problem: {question}\\n\\n
                step-separator=\\n\\n
                score-token-id=271
                readout=token-pair
                positive-token-id=10
                negative-token-id=11
                """);
        ScoringConvention c = ScoringConvention.load(file.toString());
        assertThat(c.name()).isEqualTo("mine");
        assertThat(c.questionPrefix("x")).isEqualTo("Problem: x\n\n");
        assertThat(c.scoreTokenId()).isEqualTo(271);
        assertThat(c.readout()).isEqualTo(new ScoringConvention.TokenPair("", 10, "", 11));
        Files.delete(file);
    }

    @Test
    void unknownConventionsAndBadFilesSayWhatIsWrong() throws Exception {
        assertThatThrownBy(() -> ScoringConvention.load("no-such"))
                .hasMessageContaining("no-such").hasMessageContaining("qwen2.5-math-prm");
        Path file = Files.createTempFile("convention", ".properties");
        Files.writeString(file, "name=bad\nquestion-template={question}\nstep-separator=\\n\nscore-token=\\n\nreadout=logistic\n");
        assertThatThrownBy(() -> ScoringConvention.load(file.toString())).hasMessageContaining("readout 'logistic'");
        Files.writeString(file, "name=bad\nquestion-template=no placeholder\nstep-separator=\\n\nscore-token=\\n\n");
        assertThatThrownBy(() -> ScoringConvention.load(file.toString())).hasMessageContaining("{question}");
        Files.delete(file);
    }
}
