package io.ttsmesh.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemGeneratorTest {

    @Test
    void problemsFollowTheRules() {
        List<ArithmeticProblem> set = new ProblemGenerator(42).problemSet(400, "t");
        for (ArithmeticProblem p : set) {
            assertThat(p.difficulty()).isBetween(2, 5);
            ExpressionTree tree = ExpressionTree.parse(p.question());
            assertThat(tree.render()).isEqualTo(p.question());
            checkNode(tree.root());
            GradeResult g = Grader.grade(p, p.canonicalCompletion());
            assertThat(g.solutionCorrect()).isTrue();
            assertThat(g.stepLabels()).hasSize(p.difficulty() + 1).containsOnly(true);
        }
        assertThat(set).extracting(ArithmeticProblem::question).doesNotHaveDuplicates();
        assertThat(new ProblemGenerator(42).problemSet(400, "t")).isEqualTo(set);
    }

    @Test
    void validAlternativeOrderIsAccepted() {
        GradeResult g = Grader.grade("2*3+4*5", "26", "4*5=20\n2*3=6\n6+20=26\nA: 26");
        assertThat(g.stepLabels()).containsExactly(true, true, true, true);
        assertThat(ArithmeticProblem.of("x", "(17+25)*3-14").canonicalCompletion())
                .isEqualTo("17+25=42\n42*3=126\n126-14=112\nA: 112");
        assertThat(SolutionFormat.verifierInput("1+2", List.of("1+2=3", "A: 3"))).isEqualTo("Q: 1+2\n1+2=3\nA: 3\n");
    }

    private static long checkNode(ExpressionTree.Node n) {
        if (n.isNumber()) {
            return n.value();
        }
        long l = checkNode(n.left());
        long r = checkNode(n.right());
        if (n.operator() == Operator.TIMES) {
            boolean smallLeft = n.left().isNumber() && n.left().value() >= 2 && n.left().value() <= 12;
            boolean smallRight = n.right().isNumber() && n.right().value() >= 2 && n.right().value() <= 12;
            assertThat(smallLeft || smallRight).isTrue();
        } else {
            for (ExpressionTree.Node c : List.of(n.left(), n.right())) {
                if (c.isNumber()) {
                    assertThat(c.value()).isBetween(1L, 99L);
                }
            }
        }
        long v = n.operator().apply(l, r);
        assertThat(Math.abs(v)).isLessThanOrEqualTo(ProblemGenerator.VALUE_LIMIT);
        return v;
    }
}
