package io.ttsmesh.task.countdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ttsmesh.task.InvalidQuestion;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CountdownQuestionTest {

    @Test
    void canonicalTextKeepsTheOrder() {
        CountdownQuestion q = CountdownQuestion.parse("3 7 9 2 -> 24");
        assertThat(q.numbers()).containsExactly(3, 7, 9, 2);
        assertThat(q.target()).isEqualTo(24);
        assertThat(q.text()).isEqualTo("3 7 9 2 -> 24");
        assertThat(CountdownQuestion.parse("\n3\n7 9 2\n->\n24\n").text()).isEqualTo("3 7 9 2 -> 24");
        assertThat(CountdownQuestion.parse("9 3 7 -> 24")).isNotEqualTo(CountdownQuestion.parse("3 7 9 -> 24"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'  3 7  9\t2 ->24 \r'| 3 7 9 2 -> 24",
            "12 1 12->99| 12 1 12 -> 99",
            "5 5 5 5 5 -> 10| 5 5 5 5 5 -> 10",
            "{\"numbers\":[3,7,9,2],\"target\":24}| 3 7 9 2 -> 24",
            " { \"target\" : 24 , \"numbers\" : [ 9, 3, 7 ] } | 9 3 7 -> 24",
            "{\"id\":\"cd-1\",\"task\":\"countdown\",\"numbers\":[1,2,3],\"target\":10,\"difficulty\":3}| 1 2 3 -> 10"})
    void acceptsBothFormsWithExtraWhitespace(String text, String canonical) {
        assertThat(CountdownQuestion.parse(text).text()).isEqualTo(canonical);
        assertThat(CountdownQuestion.parse(canonical).text()).as("idempotent").isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''| question",
            "'   '| question",
            "3 7 9 2 = 24| question",
            "3 7 9 2 -> 24 -> 5| question",
            "{\"numbers\":[3,7,9,2],\"target\":24| question",
            "{} junk| question",
            "-> 24| question.numbers",
            "3 7 -> 24| question.numbers",
            "1 2 3 4 5 6 -> 24| question.numbers",
            "0 7 9 -> 24| question.numbers",
            "3 13 9 -> 24| question.numbers",
            "3 -7 9 -> 24| question.numbers",
            "3 x 9 -> 24| question.numbers",
            "3 7.5 9 -> 24| question.numbers",
            "3 99999999999999999999 9 -> 24| question.numbers",
            "3 7 9 ->| question.target",
            "3 7 9 -> 9| question.target",
            "3 7 9 -> 100| question.target",
            "3 7 9 -> 2 4| question.target",
            "3 7 9 -> twenty| question.target",
            "{\"target\":24}| question.numbers",
            "{\"numbers\":\"3 7 9\",\"target\":24}| question.numbers",
            "{\"numbers\":[3,7.5,9],\"target\":24}| question.numbers",
            "{\"numbers\":[3,\"7\",9],\"target\":24}| question.numbers",
            "{\"numbers\":[3,7],\"target\":24}| question.numbers",
            "{\"numbers\":[3,7,9]}| question.target",
            "{\"numbers\":[3,7,9],\"target\":24.5}| question.target",
            "{\"numbers\":[3,7,9],\"target\":1000}| question.target"})
    void everyBadQuestionNamesItsField(String text, String field) {
        assertThatThrownBy(() -> CountdownQuestion.parse(text))
                .isInstanceOfSatisfying(InvalidQuestion.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.reason()).isNotBlank();
                });
    }

    @Test
    void messagesSayWhatIsWrong() {
        assertThatThrownBy(() -> CountdownQuestion.parse("3 7 -> 24")).hasMessage(
                "question.numbers: must hold 3 to 5 numbers, got 2");
        assertThatThrownBy(() -> CountdownQuestion.parse("3 7 13 -> 24")).hasMessage(
                "question.numbers: every number must be an integer 1..12, got 13");
        assertThatThrownBy(() -> CountdownQuestion.parse("3 7 12 -> 100")).hasMessage(
                "question.target: must be an integer 10..99, got 100");
        assertThatThrownBy(() -> CountdownQuestion.parse(null)).hasMessage("question: missing");
    }

    @Test
    void recordFieldsAreNamedAsInTheFile() {
        assertThat(CountdownQuestion.fromRecord(Map.of("numbers", List.of(3, 7, 9, 2), "target", 24L)).text())
                .isEqualTo("3 7 9 2 -> 24");
        assertThat(CountdownQuestion.fromRecord(Map.of("numbers", List.of(BigInteger.ONE, 2L, 3), "target", 10))
                .text()).isEqualTo("1 2 3 -> 10");

        assertField(Map.of("target", 24), "numbers");
        assertField(Map.of("numbers", "3 7 9", "target", 24), "numbers");
        assertField(Map.of("numbers", List.of(3, 7), "target", 24), "numbers");
        assertField(Map.of("numbers", List.of(3, 7, 9.0), "target", 24), "numbers");
        assertField(Map.of("numbers", List.of(3, 7, 20), "target", 24), "numbers");
        assertField(Map.of("numbers", List.of(3, 7, 9)), "target");
        assertField(Map.of("numbers", List.of(3, 7, 9), "target", "24"), "target");
        assertField(Map.of("numbers", List.of(3, 7, 9), "target", 5), "target");
        Map<String, Object> nullNumber = new HashMap<>();
        nullNumber.put("numbers", java.util.Arrays.asList(3, null, 9));
        nullNumber.put("target", 24);
        assertField(nullNumber, "numbers");
    }

    private static void assertField(Map<String, Object> record, String field) {
        assertThatThrownBy(() -> CountdownQuestion.fromRecord(record))
                .isInstanceOfSatisfying(InvalidQuestion.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
