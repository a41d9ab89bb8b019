package io.ttsmesh.task.countdown;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SolutionKeyTest {

    @Test
    void theSpecExample() {
        assertThat(SolutionKey.of("9-7=2; 3 2 2\n3*2=6; 2 6\n6*2=12; 12\nA: 12")).isEqualTo("2*3=6,2*6=12,9-7=2");
    }

    @Test
    void orderOfStepsAndOfCommutativeOperandsDoesNotMatter() {
        String a = SolutionKey.of("9+7=16; 3 2 16\n16*3=48; 2 48\n48/2=24; 24\nA: 24");
        String b = SolutionKey.of("7+9=16; 3 2 16\n3*16=48; 2 48\n48/2=24; 24\nA: 24");
        assertThat(a).isEqualTo("3*16=48,48/2=24,7+9=16").isEqualTo(b);
        assertThat(SolutionKey.of("2-1=1; 3 4 5 1\n5*4=20; 3 1 20\n3*20=60; 1 60\n1*60=60; 60\nA: 60"))
                .isEqualTo(SolutionKey.of("5*4=20; 1 2 3 20\n20*3=60; 1 2 60\n2-1=1; 60 1\n60*1=60; 60\nA: 60"))
                .isEqualTo("1*60=60,2-1=1,3*20=60,4*5=20");
    }

    @Test
    void minusAndDivideKeepTheirOrderAndDifferentStepsDiffer() {
        assertThat(SolutionKey.of("8/2=4; 5 4\n5*4=20; 20\nA: 20")).isEqualTo("4*5=20,8/2=4");
        assertThat(SolutionKey.of("9-7=2\nA: 2")).isNotEqualTo(SolutionKey.of("7-9=2\nA: 2"));
        assertThat(SolutionKey.of("9+7=16; 3 2 16\nA: 24")).isNotEqualTo(SolutionKey.of("9+3=12; 7 2 12\nA: 24"));
    }

    @Test
    void thePoolAndTheAnswerValuePlayNoPart() {
        String key = "4*5=20,8/2=4";
        assertThat(SolutionKey.of("8/2=4\n5*4=20\nA: 20")).isEqualTo(key);
        assertThat(SolutionKey.of("8/2=4; 99 99\n5*4=20; whatever\nA: 20")).isEqualTo(key);
        assertThat(SolutionKey.of("8/2=4; 5 4\n5*4=20; 20\nA: 21")).isEqualTo(key);
        assertThat(SolutionKey.of("8/2=4; 5 4\n5*4=20; 20\nA:nothing")).isEqualTo(key);
        assertThat(SolutionKey.of(" 8/2=4; 5 4\r\n\t5*4=20; 20\nA: 20\ngarbage after")).isEqualTo(key);
    }

    @Test
    void nullWithoutSteps_answerLine_orWithAStrayLine() {
        assertThat(SolutionKey.of("")).isNull();
        assertThat(SolutionKey.of("A: 20")).isNull();
        assertThat(SolutionKey.of("8/2=4; 5 4\n5*4=20; 20")).isNull();
        assertThat(SolutionKey.of("8/2=4; 5 4\n\n5*4=20; 20\nA: 20")).isNull();
        assertThat(SolutionKey.of("so: 8/2=4\nA: 4")).isNull();
        assertThat(SolutionKey.of("8 / 2 = 4\nA: 4")).isNull();
        assertThat(SolutionKey.of("08/2=4\nA: 4")).isNull();
    }
}
