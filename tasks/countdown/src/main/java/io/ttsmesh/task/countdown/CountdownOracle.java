package io.ttsmesh.task.countdown;

import io.ttsmesh.task.StepRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The oracle ({@code oracle}): the rule label AND, for a step line, the target can still be reached from the pool it
 * leaves ({@link Reachability}, an exhaustive solver). For the answer line the oracle label is the rule label. It
 * solves the question, so it serves upper bounds and PRM training labels only.
 */
public final class CountdownOracle implements StepRules {

    private final CountdownRules rules = new CountdownRules();

    @Override
    public List<Boolean> labels(String question, List<String> steps) {
        CountdownQuestion q = CountdownQuestion.parse(question);
        Reachability solver = new Reachability(q.target());
        List<Boolean> out = new ArrayList<>(steps.size());
        boolean ok = true;
        for (CountdownRules.CheckedLine line : rules.check(q, steps)) {
            ok = ok && line.valid() && (line.poolAfter() == null || solver.reachable(line.poolAfter().numbers()));
            out.add(ok);
        }
        return out;
    }
}
