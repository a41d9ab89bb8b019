package io.ttsmesh.task;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A task plug-in: everything the mesh knows about one kind of question. The search, the verifier and the
 * tools handle questions only through this interface, so adding a task is one module with an implementation
 * registered in {@code META-INF/services/io.ttsmesh.task.Task}, and nothing outside that module imports its
 * classes.
 *
 * <p>Text conventions shared by every bundled task: the generator sees {@code "Q: " + canonicalQuestion + "\n"},
 * writes one step per line (delimiter {@code "\n"}) and ends with an answer line {@code "A: ..."}.
 */
public interface Task {

    /** The name requests use ("arithmetic", "countdown"): lower case letters, digits and '-'. */
    String name();

    /** One line for catalogs and error messages. */
    String description();

    /**
     * Checks a question as a client wrote it and returns its canonical text, the form prompts, verifiers and
     * events carry. Idempotent: the canonical text is accepted and returned unchanged.
     *
     * @throws InvalidQuestion naming the field ("question", "question.numbers", "question.target", ...)
     */
    String canonicalQuestion(String question);

    /**
     * The canonical question text of one record of a question file (a JSON object's fields, numbers as
     * {@link Number}, arrays as {@link List}).
     *
     * @throws InvalidQuestion naming the record's field
     */
    String questionText(Map<String, Object> record);

    /**
     * The canonical answer a completion states (the vote key: completions with equal keys vote together), or
     * null when it states none. Looks at the text alone, never at a known solution.
     */
    String answerKey(String completion);

    /**
     * Grades a completion of the canonical question. Only for grading, never for choosing among candidates.
     *
     * @param expectedAnswer the question file's canonical answer, or null where the task computes it (or has none)
     */
    Grade grade(String question, String completion, String expectedAnswer);

    /**
     * The rule-based step checker, where the task has one: per step, "this step and every step before it break
     * no rule", decided from the question and the steps alone (never from a known solution or a search of
     * the solutions). Exact about validity, silent about whether a valid step leads anywhere.
     */
    default Optional<StepRules> rules() {
        return Optional.empty();
    }

    /**
     * The oracle: per step, "this step and every step before it are right and the question can still be solved
     * from here". It may solve the question; it exists to draw upper bounds and to label training data, never to
     * pick answers in an evaluation that reports accuracy.
     */
    default Optional<StepRules> oracle() {
        return Optional.empty();
    }

    /**
     * The difficulty of a canonical question as the task's question files count it, or -1 when unknown
     * (compute-optimal tables and reports group by it).
     */
    default int difficulty(String question) {
        return -1;
    }

    /**
     * A solution line as the bundled tasks' graders read it: ASCII space, tab and carriage return stripped at both
     * ends, nothing else (so a model's stray Unicode space stays an error).
     */
    static String stripLine(String line) {
        int a = 0;
        int b = line.length();
        while (a < b && isLineBlank(line.charAt(a))) {
            a++;
        }
        while (b > a && isLineBlank(line.charAt(b - 1))) {
            b--;
        }
        return line.substring(a, b);
    }

    private static boolean isLineBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    /** Steps of a completion as verifiers see them: split at the delimiter, a last empty line dropped. */
    static List<String> steps(String completion) {
        List<String> lines = new java.util.ArrayList<>(List.of(completion.split("\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }
}
