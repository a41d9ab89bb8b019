package io.ttsmesh.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StepArithmeticRulesTest {

    private static final String Q = "(17+25)*3-14";
    private final StepArithmeticRules rules = new StepArithmeticRules();

    private List<Boolean> labels(String... lines) {
        return rules.labels(Q, List.of(lines));
    }

    @Test
    void checksEachLinesOwnArithmetic() {
        assertThat(labels("17+25=42", "42*3=126", "126-14=112", "A: 112")).containsOnly(true);
        assertThat(labels("17+25=43")).containsExactly(false);
        assertThat(labels("17+25=42", "42*3=125", "126-14=112")).containsExactly(true, false, false);
        assertThat(labels("-5-3=-8", "2*-4=-8")).containsExactly(true, true);
    }

    @Test
    void doesNotKnowWhetherTheOperandsAreTheRightOnes() {
        // 2+2=4 is not a step of (17+25)*3-14, yet its own arithmetic is right: only the oracle rejects it.
        assertThat(labels("2+2=4", "A: 4")).containsExactly(true, true);
        assertThat(new ArithmeticTask().oracle().orElseThrow().labels(Q, List.of("2+2=4", "A: 4")))
                .containsExactly(false, false);
    }

    @Test
    void theAnswerLineRepeatsThePreviousResult() {
        assertThat(labels("17+25=42", "A: 42")).containsExactly(true, true);
        assertThat(labels("17+25=42", "A: 43")).containsExactly(true, false);
        assertThat(labels("17+25=42", "A:  +042 ")).as("read as the grader reads it").containsExactly(true, true);
        assertThat(labels("17+25=42", "A: forty-two")).containsExactly(true, false);
        assertThat(labels("A: 112")).as("no step before it").containsExactly(false);
    }

    @Test
    void malformedLinesAndLinesAfterTheAnswerAreInvalid() {
        assertThat(labels("17 + 25 = 42")).containsExactly(false);
        assertThat(labels("")).containsExactly(false);
        assertThat(labels("017+25=42")).containsExactly(false);
        assertThat(labels("17+25=42", "A: 42", "42*3=126", "A: 126")).containsExactly(true, true, false, false);
        assertThat(labels(" 17+25=42\r")).containsExactly(true);
    }

    @Test
    void overflowIsWrongNotACrash() {
        assertThat(labels("999999999999999999*999999999999999999=1")).containsExactly(false);
        assertThat(labels("999999999999999999+999999999999999999=1999999999999999998")).containsExactly(false);
    }

    /** On completions near the canonical ones, whatever the oracle accepts the rules accept too. */
    @Test
    void weakerThanTheOracle() {
        ArithmeticTask task = new ArithmeticTask();
        Random random = new Random(11);
        List<ArithmeticProblem> problems = new ProblemGenerator(5).problemSet(200, "p");
        int differ = 0;
        for (ArithmeticProblem p : problems) {
            List<String> lines = new ArrayList<>(SolutionFormat.lines(p.canonicalCompletion()));
            if (random.nextBoolean()) {
                int i = random.nextInt(lines.size());
                String line = lines.get(i);
                lines.set(i, line.replace(line.charAt(random.nextInt(line.length())), '7'));
            }
            List<Boolean> oracle = task.oracle().orElseThrow().labels(p.question(), lines);
            List<Boolean> rule = rules.labels(p.question(), lines);
            for (int i = 0; i < lines.size(); i++) {
                if (oracle.get(i)) {
                    assertThat(rule.get(i)).as("%s %s", p.question(), lines).isTrue();
                }
                if (oracle.get(i) != rule.get(i)) {
                    differ++;
                }
            }
        }
        assertThat(differ).as("the rules miss some wrong steps").isPositive();
    }
}
