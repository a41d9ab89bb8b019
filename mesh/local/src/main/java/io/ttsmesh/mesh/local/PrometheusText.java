package io.ttsmesh.mesh.local;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one metric from a Prometheus text exposition (a service's /q/metrics, {@link ServiceProcess#metrics}). */
public final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * The sum of the metric's samples over all label sets, or empty when the exposition has none.
     *
     * @param name the sample's full name, e.g. {@code tts_generator_batch_size_sum}
     */
    public static OptionalDouble value(String exposition, String name) {
        return value(exposition, name, "");
    }

    /**
     * The sum of the metric's samples over the label sets that contain {@code label} (e.g. {@code outcome="scored"};
     * "" for all), or empty when the exposition has none.
     */
    public static OptionalDouble value(String exposition, String name, String label) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})?\\s+(\\S+)", Pattern.MULTILINE)
                .matcher(exposition);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (!labels.contains(label)) {
                continue;
            }
            try {
                sum += Double.parseDouble(m.group(2));
                found = true;
            } catch (NumberFormatException notANumber) {
                // NaN or a malformed line: not counted
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }
}
