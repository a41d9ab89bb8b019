package io.ttsmesh.task.countdown;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StepLineTest {

    @Test
    void parsesTheFullGrammar() {
        StepLine s = StepLine.parse("9-7=2; 3 2 2");
        assertThat(s).isNotNull();
        assertThat(s.a()).isEqualTo("9");
        assertThat(s.operation()).isEqualTo(Operation.MINUS);
        assertThat(s.b()).isEqualTo("7");
        assertThat(s.c()).isEqualTo("2");
        assertThat(s.pool()).containsExactly("3", "2", "2");
        assertThat(StepLine.parse("48/2=24; 24").operation()).isEqualTo(Operation.DIVIDE);
        assertThat(StepLine.parse("12*8=96; 96 1").poolValues()).containsExactly(96L, 1L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "9-7=2", "9-7=2;", "9-7=2; ", "9-7=2;3 2 2", "9-7=2;  3 2 2", "9-7=2; 3  2 2",
            "9-7=2; 3 2 2 ", "9 - 7 = 2; 3 2 2", "09-7=2; 3 2 2", "9-07=2; 3 2 2", "9-7=02; 3 2 2",
            "9-7=2; 3 02 2", "+9-7=2; 3 2 2", "9--7=16; 3 2 16", "7-9=-2; 3 2 -2", "9x7=63; 63", "9-7=2; 3 2 2;",
            "9-7=2; 3 2 2; 1", "9-7=2, 3 2 2", "A: 24", "9-7=2; 3,2,2", "9^7=2; 3 2 2"})
    void rejectsWhatTheGrammarDoesNot(String line) {
        assertThat(StepLine.parse(line)).isNull();
    }

    @Test
    void theVoteKeyReadsTheArithmeticAlone() {
        assertThat(StepLine.parseArithmetic("9+7=16").normalizedArithmetic()).isEqualTo("7+9=16");
        assertThat(StepLine.parseArithmetic("9+7=16; anything").normalizedArithmetic()).isEqualTo("7+9=16");
        assertThat(StepLine.parseArithmetic("16*3=48; 2 48").normalizedArithmetic()).isEqualTo("3*16=48");
        assertThat(StepLine.parseArithmetic("3*16=48").normalizedArithmetic()).isEqualTo("3*16=48");
        assertThat(StepLine.parseArithmetic("9-7=2").normalizedArithmetic()).isEqualTo("9-7=2");
        assertThat(StepLine.parseArithmetic("2-7=1").normalizedArithmetic()).as("- keeps its order")
                .isEqualTo("2-7=1");
        assertThat(StepLine.parseArithmetic("8/2=4").normalizedArithmetic()).isEqualTo("8/2=4");
        assertThat(StepLine.parseArithmetic("100+99=199").normalizedArithmetic()).as("numeric, not string, order")
                .isEqualTo("99+100=199");
        assertThat(StepLine.parseArithmetic("9 + 7 = 16")).isNull();
        assertThat(StepLine.parseArithmetic("9+7=16 ; 3 2 16")).isNull();
        assertThat(StepLine.parseArithmetic("9+7=16;3 2 16")).as("the pool follows \"; \"").isNull();
        assertThat(StepLine.parseArithmetic("9+7=16;")).isNull();
        assertThat(StepLine.parseArithmetic("9+7=16; ")).isNotNull();
        assertThat(StepLine.parseArithmetic("9+7")).isNull();
    }

    @Test
    void hugeNumbersParseWithoutOverflow() {
        StepLine s = StepLine.parse("99999999999999999999999+1=100000000000000000000000; 5");
        assertThat(s).isNotNull();
        assertThat(StepLine.value(s.a())).isEqualTo(Long.MAX_VALUE);
        assertThat(StepLine.compareNumbers("99999999999999999999999", "100000000000000000000000")).isNegative();
    }
}
