package io.ttsmesh.orchestrator.pods;

import io.grpc.Status;

import java.io.IOException;

/**
 * Tells a pod that went away from a pod that answered with an error, for a stream that ended. A killed or
 * stopping pod does not always end its streams UNAVAILABLE: a server shutting down cancels its calls
 * (CANCELLED), and a write that finds the connection already closed fails UNKNOWN "channel closed" with the
 * ClosedChannelException as its cause (grpc-java's Netty transport). Both are a lost pod, so they become
 * UNAVAILABLE, which is what failover (generators) and retries (verifiers) act on.
 */
final class PodLoss {

    private PodLoss() {
    }

    /**
     * @param endedHere whether this side cancelled the stream (then CANCELLED is ours, not a lost pod)
     * @param pod       "generator x" or "verifier y", for the description
     */
    static Status asUnavailable(Status status, boolean endedHere, String pod) {
        boolean cancelledByPod = status.getCode() == Status.Code.CANCELLED && !endedHere;
        boolean connectionLost = status.getCode() == Status.Code.UNKNOWN && causedByIo(status.getCause());
        if (!cancelledByPod && !connectionLost) {
            return status;
        }
        return Status.UNAVAILABLE.withDescription(pod + " went away (" + status.getDescription() + ")")
                .withCause(status.getCause());
    }

    private static boolean causedByIo(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
