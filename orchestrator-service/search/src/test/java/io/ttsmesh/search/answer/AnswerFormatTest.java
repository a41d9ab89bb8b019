package io.ttsmesh.search.answer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerFormatTest {

    private final AnswerFormat testBed = AnswerFormat.testBed();

    @Test
    void readsTheIntegerOnTheFirstAnswerLine() {
        assertThat(testBed.extract("17+25=42\n42*3=126\n126-14=112\nA: 112")).isEqualTo("112");
        assertThat(testBed.extract("A:112\n")).isEqualTo("112");
        assertThat(testBed.extract("A:  -45  ")).isEqualTo("-45");
        assertThat(testBed.extract("A: 5\nA: 6")).isEqualTo("5");
        assertThat(testBed.extract("1+1=2\n \tA: 2\r\n")).isEqualTo("2");
    }

    @Test
    void canonicalFormHasNoSignPlusNoLeadingZerosAndNoNegativeZero() {
        assertThat(testBed.extract("A: +007")).isEqualTo("7");
        assertThat(testBed.extract("A: -0")).isEqualTo("0");
        assertThat(testBed.extract("A: -000")).isEqualTo("0");
        assertThat(testBed.extract("A: -012")).isEqualTo("-12");
        assertThat(testBed.extract("A: 0")).isEqualTo("0");
    }

    @Test
    void noAnswerWhenTheFirstAnswerLineHoldsNoInteger() {
        assertThat(testBed.extract("17+25=42\n")).isNull();
        assertThat(testBed.extract("A: x\nA: 5")).isNull();
        assertThat(testBed.extract("A: 1.5")).isNull();
        assertThat(testBed.extract("A: 12 13")).isNull();
        assertThat(testBed.extract("A: \u000b12")).isNull();
        assertThat(testBed.extract("")).isNull();
    }

    @Test
    void otherFormatsForRealModels() {
        AnswerFormat boxed = AnswerFormat.of("\\\\boxed\\{([^}]*)\\}", Canonicalizer.NUMBER);
        assertThat(boxed.extract("so the answer is $\\boxed{2.50}$")).isEqualTo("2.5");
        assertThat(boxed.extract("\\boxed{+3.000}")).isEqualTo("3");
        assertThat(boxed.extract("\\boxed{-0.0}")).isEqualTo("0");
        assertThat(boxed.extract("\\boxed{x}")).isNull();
        assertThat(Canonicalizer.TEXT.canonical("  Paris   France ")).isEqualTo("paris france");
        assertThat(Canonicalizer.TEXT.canonical("  ")).isNull();
    }
}
