package io.ttsmesh.orchestrator.api.grpc;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code grpc.health.v1.Health/Check} for a service this server does not have answers NOT_FOUND, as the
 * health protocol says (Quarkus's health service answers status UNKNOWN, which a client cannot tell from
 * "known, not yet checked"). The services it knows, and the whole server (""), are answered as before.
 */
@ApplicationScoped
@GlobalInterceptor
public class UnknownServiceHealth implements ServerInterceptor {

    private static final String CHECK = HealthGrpc.getCheckMethod().getFullMethodName();

    private final GrpcHealthStorage health;

    UnknownServiceHealth(GrpcHealthStorage health) {
        this.health = health;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!CHECK.equals(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        OnceClosed<Q, R> once = new OnceClosed<>(call);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(once, headers)) {
            @Override
            public void onMessage(Q message) {
                String service = message instanceof HealthCheckRequest request ? request.getService() : "";
                if (!service.isEmpty() && !health.getStatuses().containsKey(service)) {
                    once.close(Status.NOT_FOUND.withDescription("service: unknown service '" + service + "'"), new Metadata());
                    return;
                }
                super.onMessage(message);
            }
        };
    }

    /** A call that, once closed here, ignores what the health service would still send. */
    private static final class OnceClosed<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private volatile boolean closed;

        OnceClosed(ServerCall<Q, R> call) {
            super(call);
        }

        @Override
        public void sendMessage(R message) {
            if (!closed) {
                super.sendMessage(message);
            }
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (!closed) {
                closed = true;
                super.close(status, trailers);
            }
        }
    }
}
