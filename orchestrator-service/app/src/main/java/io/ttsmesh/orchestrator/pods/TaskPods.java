package io.ttsmesh.orchestrator.pods;

/**
 * The pods of one task and the clients over them: searches of the task open their sessions on these
 * generators and score on these verifiers (a pod's models are trained for one task).
 */
public record TaskPods(String task, EndpointGroup generators, EndpointGroup verifiers,
                       GrpcGenerationSessions sessions, GrpcStepScorer scorer) {

    void refresh() {
        generators.refresh();
        verifiers.refresh();
        sessions.refreshSpares();
    }

    void shutdown() {
        sessions.close();
        generators.shutdown();
        verifiers.shutdown();
    }
}
