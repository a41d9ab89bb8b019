package io.ttsmesh.task.countdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases labelled by hand from the contract in models/countdown/README.md
 * (src/test/resources/hand-checked-cases.jsonl, the fixture schema):
 * the half of the evidence that does not come from the Python reference.
 */
class HandCheckedCasesTest {

    private static final CountdownTask TASK = new CountdownTask();

    static List<GraderCase> cases() throws IOException {
        try (InputStream in = HandCheckedCasesTest.class.getResourceAsStream("/hand-checked-cases.jsonl")) {
            return GraderCase.parseLines(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void javaAgreesWithTheHandLabels(GraderCase c) {
        c.assertAgrees(TASK);
    }

    @Test
    void theCasesCoverBothOutcomes() throws IOException {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(30);
        assertThat(cases()).anyMatch(GraderCase::correct).anyMatch(c -> !c.correct());
        assertThat(cases()).anyMatch(c -> !c.ruleLabels().equals(c.oracleLabels()));
    }
}
