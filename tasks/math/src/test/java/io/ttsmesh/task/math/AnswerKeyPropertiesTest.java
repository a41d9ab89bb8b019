package io.ttsmesh.task.math;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every writing of a number gets the key of its value; any text keys without failing, and keys are fixed points. */
class AnswerKeyPropertiesTest {

    private final MathTask task = new MathTask();

    @Property
    void writingsOfAnIntegerShareItsKey(@ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long n) {
        String key = Long.toString(n);
        String abs = Long.toString(Math.abs(n));
        String sign = n < 0 ? "-" : "";
        String grouped = sign + String.format("%,d", Math.abs(n));
        for (String written : List.of(key, key + ".0", sign + "00" + abs, "$" + key + "$", "\\boxed{" + key + "}",
                "\\text{" + key + "}", key + ".", grouped, "x = " + key, sign + "\\frac{" + abs + "}{1}", key + "/1",
                sign + abs + ".000")) {
            assertThat(CanonicalAnswer.of(written)).as(written).isEqualTo(key);
            assertThat(task.answerKey("Some steps.\n\nThe answer is $\\boxed{" + written + "}$.")).as(written).isEqualTo(key);
        }
    }

    @Property
    void writingsOfAFractionShareItsKey(@ForAll @IntRange(min = -5000, max = 5000) int p,
                                        @ForAll @IntRange(min = 1, max = 5000) int q,
                                        @ForAll @IntRange(min = 1, max = 50) int k) {
        String key = CanonicalAnswer.of(p + "/" + q);
        String sign = p < 0 ? "-" : "";
        int a = Math.abs(p);
        for (String written : List.of("\\frac{" + p + "}{" + q + "}", "\\dfrac{" + (p * k) + "}{" + (q * k) + "}",
                sign + "\\frac{" + a + "}{" + q + "}", (p * k) + " / " + (q * k), "$\\tfrac{" + p + "}{" + q + "}$",
                "\\frac{" + (-p) + "}{" + (-q) + "}")) {
            assertThat(CanonicalAnswer.of(written)).as(written).isEqualTo(key);
        }
        // the key is the value: an integer, a terminating decimal, or the reduced p/q
        BigInteger g = BigInteger.valueOf(p).gcd(BigInteger.valueOf(q));
        BigInteger num = BigInteger.valueOf(p).divide(g);
        BigInteger den = BigInteger.valueOf(q).divide(g);
        if (key.contains("/")) {
            assertThat(key).isEqualTo(num + "/" + den);
        } else {
            assertThat(new BigDecimal(key).multiply(new BigDecimal(den))).isEqualByComparingTo(new BigDecimal(num));
        }
    }

    @Property
    void decimalsWithTrailingZerosShareTheirKey(@ForAll @IntRange(min = -99999, max = 99999) int units,
                                                @ForAll @IntRange(min = 1, max = 4) int places,
                                                @ForAll @IntRange(min = 0, max = 3) int zeros) {
        BigDecimal value = BigDecimal.valueOf(units, places);
        String key = CanonicalAnswer.of(value.toPlainString());
        assertThat(CanonicalAnswer.of(value.toPlainString() + "0".repeat(zeros))).isEqualTo(key);
        assertThat(new BigDecimal(key)).isEqualByComparingTo(value);
    }

    @Property
    void anyTextKeysWithoutFailingAndKeysAreFixedPoints(@ForAll("mathy") String text) {
        String key = task.answerKey(text);
        if (key != null) {
            assertThat(key).isNotBlank();
            assertThat(CanonicalAnswer.of(key)).isEqualTo(key);
        }
    }

    @Provide
    Arbitrary<String> mathy() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(60),
                Arbitraries.of("\\boxed{", "}", "{", "\\frac", "\\text{", "$", "answer is", "1", "/", "-", ".", ",",
                        "\n", " ", "x=", "0", "\\left(", "\\right)", "\\", "%", "^\\circ", "2")
                        .list().ofMaxSize(20).map(parts -> String.join("", parts)));
    }
}
