package io.ttsmesh.task.countdown;

import io.ttsmesh.task.Grade;
import io.ttsmesh.task.StepRules;
import io.ttsmesh.task.Task;
import java.util.Map;
import java.util.Optional;

/**
 * Countdown: reach a target (10..99) from 3 to 5 numbers (1..12), each used once, with {@code + - * /} and every
 * intermediate value an integer in 1..99. Question text {@code 3 7 9 2 -> 24}; one step per line,
 * {@code 9-7=2; 3 2 2} (the step, then the numbers left); the answer line {@code A: 24}. Checking a step is cheap
 * and exact, finding one that still leads to the target is the hard part. Contract and reference:
 * models/countdown/README.md and models/train/countdown.py.
 */
public final class CountdownTask implements Task {

    public static final String NAME = "countdown";

    private final CountdownRules rules = new CountdownRules();
    private final CountdownOracle oracle = new CountdownOracle();
    private final CountdownGrader grader = new CountdownGrader();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Countdown: reach the target from 3-5 numbers with + - * /, e.g. '3 7 9 2 -> 24'";
    }

    @Override
    public String canonicalQuestion(String question) {
        return CountdownQuestion.parse(question).text();
    }

    @Override
    public String questionText(Map<String, Object> record) {
        return CountdownQuestion.fromRecord(record).text();
    }

    @Override
    public String answerKey(String completion) {
        return SolutionKey.of(completion);
    }

    /** Any valid solution is right, so {@code expectedAnswer} plays no part. */
    @Override
    public Grade grade(String question, String completion, String expectedAnswer) {
        return grader.grade(CountdownQuestion.parse(question), completion);
    }

    @Override
    public Optional<StepRules> rules() {
        return Optional.of(rules);
    }

    @Override
    public Optional<StepRules> oracle() {
        return Optional.of(oracle);
    }

    /** The count of numbers, 3..5. */
    @Override
    public int difficulty(String question) {
        return CountdownQuestion.parse(question).numbers().size();
    }
}
