package io.ttsmesh.bench.mesh;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one metric from a Prometheus text exposition (/q/metrics). */
final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * The sum of the metric's samples over all label sets, or empty when the exposition has none.
     *
     * @param name the sample's full name, e.g. {@code tts_generator_batch_size_sum}
     */
    static OptionalDouble value(String exposition, String name) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{[^}]*})?\\s+(\\S+)", Pattern.MULTILINE)
                .matcher(exposition);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            try {
                sum += Double.parseDouble(m.group(1));
                found = true;
            } catch (NumberFormatException notANumber) {
                // NaN or a malformed line: not counted
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }
}
