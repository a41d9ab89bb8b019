package io.ttsmesh.task.countdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java task agrees exactly with every case of models/countdown/eval/grader-fixtures.jsonl (written by Python). */
class GraderFixturesTest {

    private static final CountdownTask TASK = new CountdownTask();

    static List<GraderCase> fixtures() throws IOException {
        return GraderCase.parseLines(Files.readAllLines(fixtureFile(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("fixtures")
    void javaAgreesWithPython(GraderCase c) {
        c.assertAgrees(TASK);
    }

    @Test
    void thereAreFixturesOfEveryKind() throws IOException {
        List<GraderCase> all = fixtures();
        assertThat(all).hasSizeGreaterThanOrEqualTo(20);
        assertThat(all).anyMatch(GraderCase::correct).anyMatch(c -> !c.correct());
        assertThat(all).anyMatch(c -> !c.ruleLabels().equals(c.oracleLabels()));
    }

    /** The checkout's fixture file: under the build's ttsmesh.models.dir, else found upwards from here. */
    static Path fixtureFile() {
        Path relative = Paths.get("countdown", "eval", "grader-fixtures.jsonl");
        String prop = System.getProperty("ttsmesh.models.dir");
        if (prop != null && Files.isRegularFile(Paths.get(prop).resolve(relative))) {
            return Paths.get(prop).resolve(relative);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("models").resolve(relative))) {
                return p.resolve("models").resolve(relative);
            }
        }
        throw new IllegalStateException("models/" + relative + " not found (written by models/train/countdown.py)");
    }
}
