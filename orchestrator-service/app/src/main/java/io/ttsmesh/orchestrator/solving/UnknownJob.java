package io.ttsmesh.orchestrator.solving;

/** No job has this request id (never submitted here, or evicted): NOT_FOUND / HTTP 404. */
public class UnknownJob extends RuntimeException {

    public UnknownJob(String requestId) {
        super("request_id: no job '" + requestId + "' on this orchestrator");
    }
}
