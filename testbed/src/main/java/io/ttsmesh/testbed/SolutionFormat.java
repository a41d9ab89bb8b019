package io.ttsmesh.testbed;

import io.ttsmesh.task.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * The text format of the task, shared by the generator, the verifier and the grader.
 *
 * <pre>
 * prompt:      "Q: (17+25)*3-14\n"
 * completion:  "17+25=42\n42*3=126\n126-14=112\nA: 112"   then EOS (no newline after the answer line)
 * PRM input:   "Q: (17+25)*3-14\n17+25=42\n42*3=126\n126-14=112\nA: 112\n"   (delimiter after every step)
 * </pre>
 */
public final class SolutionFormat {
    public static final String QUESTION_PREFIX = "Q: ";
    public static final String ANSWER_PREFIX = "A:";
    public static final String STEP_DELIMITER = "\n";

    private SolutionFormat() {
    }

    /** What the generator is given: {@code "Q: <question>\n"}. */
    public static String prompt(String question) {
        return QUESTION_PREFIX + question + STEP_DELIMITER;
    }

    /** The verifier's input: the prompt, then every step followed by the delimiter. */
    public static String verifierInput(String question, List<String> steps) {
        StringBuilder sb = new StringBuilder(prompt(question));
        for (String s : steps) {
            sb.append(s).append(STEP_DELIMITER);
        }
        return sb.toString();
    }

    /**
     * The lines of a completion as the grader sees them: split on {@code \n}; a last empty element
     * (empty completion, or one ending with {@code \n}) is dropped; each line stripped of leading and
     * trailing ASCII space, tab and carriage return.
     */
    public static List<String> lines(String completion) {
        List<String> raw = new ArrayList<>(List.of(completion.split("\n", -1)));
        if (!raw.isEmpty() && raw.get(raw.size() - 1).isEmpty()) {
            raw.remove(raw.size() - 1);
        }
        List<String> out = new ArrayList<>(raw.size());
        for (String r : raw) {
            out.add(strip(r));
        }
        return out;
    }

    /** Strips ASCII space, tab and carriage return at both ends (nothing else). */
    public static String strip(String s) {
        return Task.stripLine(s);
    }

    /** A line that starts (after stripping) with {@code A:}. */
    public static boolean isAnswerLine(String strippedLine) {
        return strippedLine.startsWith(ANSWER_PREFIX);
    }
}
