package io.ttsmesh.search.answer;

import io.ttsmesh.task.Task;

/**
 * Where a solution states its final answer and how answers compare: the vote key of a solution's text
 * (the generator's completion, without the prompt). Two forms: a task's own {@link Task#answerKey}
 * ({@link #of(Task)}, what the bundled tasks use) and a regular expression with a canonicalizer
 * ({@link #of(String, Canonicalizer)}, for configured real models).
 */
public interface AnswerFormat {

    /** The canonical answer stated in {@code text}, or null when it states none. */
    String extract(CharSequence text);

    /**
     * The answer a probe reads: {@code probe} is the answer cue and what the model wrote after it, asked at
     * the end of {@code solution} (the branch's text so far). A pattern reads the probe alone; a task reads
     * the whole text, since its answer may be the steps that lead to it.
     */
    default String probeAnswer(CharSequence solution, CharSequence probe) {
        return extract(probe);
    }

    /**
     * The test bed (models/train/arith.py): the integer on the first line that starts with {@code A:}
     * once stripped of spaces, tabs and carriage returns.
     */
    static PatternAnswerFormat testBed() {
        return of("(?m)^[ \\t\\r]*A:(.*)$", Canonicalizer.INTEGER);
    }

    /** The first match of {@code regex} (one capturing group) holds the answer; see {@link PatternAnswerFormat}. */
    static PatternAnswerFormat of(String regex, Canonicalizer canonicalizer) {
        return PatternAnswerFormat.of(regex, canonicalizer);
    }

    /** The task's answer key. */
    static AnswerFormat of(Task task) {
        return new TaskAnswerFormat(task);
    }
}
