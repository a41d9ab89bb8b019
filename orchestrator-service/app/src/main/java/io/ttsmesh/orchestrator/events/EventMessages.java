package io.ttsmesh.orchestrator.events;

import io.grpc.Status;
import io.ttsmesh.proto.events.AnswerTally;
import io.ttsmesh.proto.events.Budget;
import io.ttsmesh.proto.events.Method;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.events.Spend;
import io.ttsmesh.proto.events.StopReason;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.events.SearchEvent.BranchFinished;
import io.ttsmesh.search.events.SearchEvent.BranchForked;
import io.ttsmesh.search.events.SearchEvent.BranchPruned;
import io.ttsmesh.search.events.SearchEvent.BranchScored;
import io.ttsmesh.search.events.SearchEvent.BranchStep;
import io.ttsmesh.search.events.SearchEvent.BranchesStarted;
import io.ttsmesh.search.events.SearchEvent.BudgetExhausted;
import io.ttsmesh.search.events.SearchEvent.Finished;
import io.ttsmesh.search.events.SearchEvent.PolicyDecision;
import io.ttsmesh.search.events.SearchEvent.Started;

import java.util.List;

/** The search's events and results as the wire messages of events.proto (Solve stream, Kafka, REST). */
public final class EventMessages {

    private EventMessages() {
    }

    /** @param stepDelimiter joins the chosen solution's steps into SolveResult.solution */
    public static SearchEvent event(io.ttsmesh.search.events.SearchEvent e, String stepDelimiter) {
        var event = SearchEvent.newBuilder()
                .setRequestId(e.requestId())
                .setSequence(e.sequence())
                .setTimeUnixMs(e.timeUnixMs())
                .setSpend(spend(e.spend()));
        switch (e.payload()) {
            case Started s -> event.setStarted(io.ttsmesh.proto.events.SearchStarted.newBuilder()
                    .setTask(text(s.task()))
                    .setQuestion(s.question())
                    .setStrategy(method(s.strategy()))
                    .addAllPolicies(s.policies().stream().map(EventMessages::method).toList())
                    .setBudget(budget(s.budget()))
                    .setVerifier(text(s.verifier()))
                    .setAggregation(text(s.aggregation()))
                    .setGenerator(text(s.generator())));
            case BranchesStarted s -> event.setBranchesStarted(io.ttsmesh.proto.events.BranchesStarted.newBuilder()
                    .addAllBranchIds(s.branchIds())
                    .setPromptTokens(s.promptTokens()));
            case BranchStep s -> event.setStep(io.ttsmesh.proto.events.BranchStep.newBuilder()
                    .setBranchId(s.branchId())
                    .setStepIndex(s.stepIndex())
                    .setText(s.text())
                    .setTokens(s.tokens())
                    .setEnd(text(s.end()))
                    .setMeanLogprob((float) s.meanLogprob()));
            case BranchScored s -> event.setScored(io.ttsmesh.proto.events.BranchScored.newBuilder()
                    .setBranchId(s.branchId())
                    .setStepIndex(s.stepIndex())
                    .setScore((float) s.score())
                    .setAggregate((float) s.aggregate()));
            case BranchPruned s -> event.setPruned(io.ttsmesh.proto.events.BranchPruned.newBuilder()
                    .setBranchId(s.branchId())
                    .setBy(text(s.by()))
                    .setReason(text(s.reason())));
            case BranchForked s -> event.setForked(io.ttsmesh.proto.events.BranchForked.newBuilder()
                    .setParentId(s.parentId())
                    .addAllChildIds(s.childIds())
                    .setAtStep(s.atStep()));
            case BranchFinished s -> event.setFinished(io.ttsmesh.proto.events.BranchFinished.newBuilder()
                    .setBranchId(s.branchId())
                    .setEnd(text(s.end()))
                    .setAnswer(text(s.answer()))
                    .setAggregate(Double.isNaN(s.aggregate()) ? 0f : (float) s.aggregate()));
            case PolicyDecision s -> event.setDecision(io.ttsmesh.proto.events.PolicyDecision.newBuilder()
                    .setPolicy(text(s.policy()))
                    .setAction(text(s.action()))
                    .setReason(text(s.reason()))
                    .addAllBranchIds(s.branchIds())
                    .putAllValues(s.values()));
            case BudgetExhausted s -> event.setBudgetExhausted(io.ttsmesh.proto.events.BudgetExhausted.newBuilder()
                    .setResource(text(s.resource())));
            case Finished s -> event.setSearchFinished(io.ttsmesh.proto.events.SearchFinished.newBuilder()
                    .setResult(result(s.result(), stepDelimiter)));
        }
        return event.build();
    }

    /** The CloudEvents type suffix: the payload's field name in events.proto. */
    public static String payloadName(SearchEvent event) {
        return switch (event.getPayloadCase()) {
            case STARTED -> "started";
            case BRANCHES_STARTED -> "branches_started";
            case STEP -> "step";
            case SCORED -> "scored";
            case PRUNED -> "pruned";
            case FORKED -> "forked";
            case FINISHED -> "finished";
            case DECISION -> "decision";
            case BUDGET_EXHAUSTED -> "budget_exhausted";
            case SEARCH_FINISHED -> "search_finished";
            case PAYLOAD_NOT_SET -> "unknown";
        };
    }

    public static SolveResult result(SearchResult r, String stepDelimiter) {
        var result = SolveResult.newBuilder()
                .setRequestId(r.requestId())
                .setAnswer(text(r.answer()))
                .addAllSteps(r.steps())
                .setSolution(String.join(stepDelimiter, r.steps()))
                .setBranchId(Math.max(0, r.branchId()))
                .setStopReason(stopReason(r.stopReason()))
                .setStopDetail(text(r.stopDetail()))
                .setSpend(spend(r.spend()));
        if (r.score() != null && !r.score().isNaN()) {
            result.setScore(r.score());
        }
        if (r.budget() != null) {
            result.setBudget(budget(r.budget()));
        }
        if (r.strategy() != null) {
            result.setStrategy(method(r.strategy()));
        }
        if (r.policies() != null) {
            result.addAllPolicies(r.policies().stream().map(EventMessages::method).toList());
        }
        if (r.answers() != null) {
            for (SearchResult.AnswerTally tally : r.answers()) {
                result.addAnswers(AnswerTally.newBuilder()
                        .setAnswer(text(tally.answer()))
                        .setVotes(tally.votes())
                        .setScoreSum(tally.scoreSum())
                        .setBestScore(tally.bestScore()));
            }
        }
        if (r.errorCode() != null) {
            result.setErrorCode(codeValue(r.errorCode()));
        }
        return result.build();
    }

    /** A gRPC status code name as its number (google.rpc.Code); UNKNOWN when the name is not one. */
    public static int codeValue(String codeName) {
        try {
            return Status.Code.valueOf(codeName).value();
        } catch (IllegalArgumentException e) {
            return Status.Code.UNKNOWN.value();
        }
    }

    public static StopReason stopReason(io.ttsmesh.search.StopReason reason) {
        if (reason == null) {
            return StopReason.STOP_REASON_UNSPECIFIED;
        }
        return switch (reason) {
            case COMPLETED -> StopReason.COMPLETED;
            case EARLY_EXIT -> StopReason.EARLY_EXIT;
            case TOKEN_BUDGET -> StopReason.TOKEN_BUDGET;
            case VERIFIER_BUDGET -> StopReason.VERIFIER_BUDGET;
            case DEADLINE -> StopReason.DEADLINE;
            case CANCELLED -> StopReason.CANCELLED;
            case FAILED -> StopReason.FAILED;
            case DEGRADED -> StopReason.DEGRADED;
        };
    }

    public static Spend spend(io.ttsmesh.search.budget.Spend s) {
        if (s == null) {
            return Spend.getDefaultInstance();
        }
        return Spend.newBuilder()
                .setGeneratedTokens(s.generatedTokens())
                .setPrefillTokens(s.prefillTokens())
                .setVerifierCalls(s.verifierCalls())
                .setWallMs(s.wallMillis())
                .setBranches(s.branches())
                .build();
    }

    public static Budget budget(io.ttsmesh.search.budget.Budget b) {
        return Budget.newBuilder()
                .setMaxTokens(b.maxTokens())
                .setMaxVerifierCalls(b.maxVerifierCalls())
                .setDeadlineMs((int) Math.min(Integer.MAX_VALUE, b.deadline().toMillis()))
                .build();
    }

    public static Method method(MethodSpec spec) {
        return Method.newBuilder().setName(spec.name()).putAllParams(spec.params()).build();
    }

    public static List<MethodSpec> specs(List<Method> methods) {
        return methods.stream().map(m -> MethodSpec.of(m.getName(), m.getParamsMap())).toList();
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
