package io.ttsmesh.testbed;

import io.ttsmesh.task.Grade;
import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.StepRules;
import io.ttsmesh.task.Task;
import java.util.Map;
import java.util.Optional;

/**
 * The bundled arithmetic task as a plug-in: evaluate an integer expression such as {@code (17+25)*3-14}, one
 * operation per line ({@code 17+25=42}), then {@code A: 112}. Finding the next step is easy, getting its
 * arithmetic right is the hard part. The oracle knows the expression's value ({@link StepChecker}); the rule
 * checker only checks each line's own arithmetic ({@link StepArithmeticRules}).
 */
public final class ArithmeticTask implements Task {

    public static final String NAME = "arithmetic";

    private final StepArithmeticRules rules = new StepArithmeticRules();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Arithmetic: evaluate an integer expression with + - * and parentheses, e.g. '(17+25)*3-14'";
    }

    @Override
    public String canonicalQuestion(String question) {
        return parse(question).canonical();
    }

    @Override
    public String questionText(Map<String, Object> record) {
        Object question = record.get("question");
        if (!(question instanceof String text)) {
            throw new InvalidQuestion("question", question == null ? "missing" : "must be a string");
        }
        return canonicalQuestion(text);
    }

    @Override
    public String answerKey(String completion) {
        return AnswerExtractor.extract(completion);
    }

    @Override
    public Grade grade(String question, String completion, String expectedAnswer) {
        GradeResult r = Grader.grade(canonicalQuestion(question), expectedAnswer, completion);
        return new Grade(r.answer(), r.answerCorrect(), r.stepLabels());
    }

    @Override
    public Optional<StepRules> rules() {
        return Optional.of(rules);
    }

    /** Exact step correctness: the checker knows the expression, hence its value. */
    @Override
    public Optional<StepRules> oracle() {
        return Optional.of((question, steps) -> StepChecker.labels(canonicalQuestion(question),
                steps.stream().map(SolutionFormat::strip).toList()));
    }

    /** The number of operations. */
    @Override
    public int difficulty(String question) {
        return parse(question).tree().operationCount();
    }

    private record Parsed(String canonical, ExpressionTree tree) {
    }

    private static Parsed parse(String question) {
        if (question == null) {
            throw new InvalidQuestion("question", "missing");
        }
        String text = question.strip();
        try {
            return new Parsed(text, ExpressionTree.parse(text));
        } catch (IllegalArgumentException e) {
            throw new InvalidQuestion("question", e.getMessage());
        }
    }
}
