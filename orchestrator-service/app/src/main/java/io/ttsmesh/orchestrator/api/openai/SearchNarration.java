package io.ttsmesh.orchestrator.api.openai;

import io.ttsmesh.proto.events.Method;
import io.ttsmesh.proto.events.SearchEvent;

import java.util.Locale;
import java.util.TreeMap;

/**
 * A search's progress in words, streamed as {@code reasoning_content}: its decisions (branches started,
 * pruned, forked, finished, policy decisions, budgets running out) and the steps of the branch that leads,
 * i.e. the best-scored live branch (before any score: the first one). One line per event worth telling;
 * scores themselves are not told, only a change of leader.
 */
final class SearchNarration {

    private long leader = -1;
    private double leaderScore = Double.NEGATIVE_INFINITY;

    /** The line for {@code event}, or null when it tells nothing new. */
    String line(SearchEvent event) {
        return switch (event.getPayloadCase()) {
            case STARTED -> "Searching with " + method(event.getStarted().getStrategy())
                    + (event.getStarted().getPoliciesCount() == 0 ? ""
                    : ", policies " + String.join(", ", event.getStarted().getPoliciesList().stream().map(SearchNarration::method).toList()))
                    + (event.getStarted().getTask().isEmpty() ? "" : " on a " + event.getStarted().getTask() + " question")
                    + ": at most " + event.getStarted().getBudget().getMaxTokens() + " tokens.\n";
            case BRANCHES_STARTED -> {
                if (leader < 0 && event.getBranchesStarted().getBranchIdsCount() > 0) {
                    leader = event.getBranchesStarted().getBranchIds(0);
                }
                yield "Started " + event.getBranchesStarted().getBranchIdsCount() + " branch"
                        + (event.getBranchesStarted().getBranchIdsCount() == 1 ? "" : "es") + ".\n";
            }
            case STEP -> {
                var step = event.getStep();
                if (leader < 0) {
                    leader = step.getBranchId();
                }
                yield step.getBranchId() == leader && !step.getText().isBlank()
                        ? "Branch " + step.getBranchId() + ", step " + (step.getStepIndex() + 1) + ": " + step.getText().strip() + "\n"
                        : null;
            }
            case SCORED -> {
                var scored = event.getScored();
                if (scored.getBranchId() == leader) {
                    leaderScore = scored.getAggregate();
                    yield null;
                }
                if (scored.getAggregate() > leaderScore) {
                    leader = scored.getBranchId();
                    leaderScore = scored.getAggregate();
                    yield String.format(Locale.ROOT, "Branch %d leads now (score %.3f).%n", leader, leaderScore);
                }
                yield null;
            }
            case PRUNED -> {
                lost(event.getPruned().getBranchId());
                yield "Pruned branch " + event.getPruned().getBranchId() + " (" + event.getPruned().getBy()
                        + (event.getPruned().getReason().isEmpty() ? "" : ": " + event.getPruned().getReason()) + ").\n";
            }
            case FORKED -> "Branch " + event.getForked().getParentId() + " forked into "
                    + event.getForked().getChildIdsList() + " after step " + event.getForked().getAtStep() + ".\n";
            case FINISHED -> {
                var finished = event.getFinished();
                lost(finished.getBranchId());
                yield "Branch " + finished.getBranchId() + " finished"
                        + (finished.getAnswer().isEmpty() ? " without an answer (" + finished.getEnd() + ")" : " with the answer " + finished.getAnswer())
                        + ".\n";
            }
            case DECISION -> event.getDecision().getPolicy() + ": " + event.getDecision().getAction()
                    + (event.getDecision().getReason().isEmpty() ? "" : ", " + event.getDecision().getReason()) + ".\n";
            case BUDGET_EXHAUSTED -> "The " + event.getBudgetExhausted().getResource().replace('_', ' ') + " budget ran out.\n";
            case SEARCH_FINISHED, PAYLOAD_NOT_SET -> null;
        };
    }

    /** A branch that will take no more steps: the next one to step or score leads. */
    private void lost(long branch) {
        if (branch == leader) {
            leader = -1;
            leaderScore = Double.NEGATIVE_INFINITY;
        }
    }

    private static String method(Method method) {
        return method.getParamsCount() == 0 ? method.getName() : method.getName() + " " + new TreeMap<>(method.getParamsMap());
    }
}
