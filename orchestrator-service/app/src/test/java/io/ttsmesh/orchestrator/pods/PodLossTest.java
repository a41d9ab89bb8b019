package io.ttsmesh.orchestrator.pods;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.nio.channels.ClosedChannelException;

import static org.assertj.core.api.Assertions.assertThat;

class PodLossTest {

    @Test
    void aWriteOnAClosedConnectionIsALostPod() {
        // what grpc-java's Netty transport reports when the pod was SIGKILLed under a stream we write on
        ClosedChannelException closed = new ClosedChannelException();
        closed.initCause(new java.io.IOException("Connection reset by peer"));
        Status status = Status.UNKNOWN.withDescription("channel closed").withCause(closed);

        Status lost = PodLoss.asUnavailable(status, false, "generator g-1");

        assertThat(lost.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(lost.getDescription()).isEqualTo("generator g-1 went away (channel closed)");
        assertThat(lost.getCause()).isSameAs(closed);
    }

    @Test
    void aCancelIsALostPodUnlessItWasOurs() {
        Status cancelled = Status.CANCELLED.withDescription("server shutting down");
        assertThat(PodLoss.asUnavailable(cancelled, false, "verifier v-1").getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(PodLoss.asUnavailable(cancelled, true, "verifier v-1")).isSameAs(cancelled);
    }

    @Test
    void thePodsOwnErrorsStayWhatTheyAre() {
        Status unknown = Status.UNKNOWN.withDescription("the handler threw");
        Status invalid = Status.INVALID_ARGUMENT.withDescription("bad command");
        Status unknownWithCause = Status.UNKNOWN.withCause(new IllegalStateException("bug"));
        assertThat(PodLoss.asUnavailable(unknown, false, "generator g-1")).isSameAs(unknown);
        assertThat(PodLoss.asUnavailable(invalid, false, "generator g-1")).isSameAs(invalid);
        assertThat(PodLoss.asUnavailable(unknownWithCause, false, "generator g-1")).isSameAs(unknownWithCause);
    }
}
