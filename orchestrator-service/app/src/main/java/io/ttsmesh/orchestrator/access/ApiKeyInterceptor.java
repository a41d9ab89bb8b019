package io.ttsmesh.orchestrator.access;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import io.ttsmesh.proto.orchestrator.OrchestratorGrpc;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The API key check of the public gRPC service (tts Orchestrator; health and reflection stay open): the
 * metadata {@code authorization: Bearer <key>}. Refused calls close with UNAUTHENTICATED, or RESOURCE_EXHAUSTED
 * and a {@code retry-after} trailer (seconds), before the request message is read. The caller travels in the
 * gRPC context to the service, which applies the key's budget limits.
 */
@ApplicationScoped
@GlobalInterceptor
public class ApiKeyInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

    private final ApiKeys keys;

    ApiKeyInterceptor(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        if (!keys.enabled() || !OrchestratorGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        Caller caller;
        try {
            caller = keys.admit(headers.get(AUTHORIZATION));
        } catch (Unauthenticated e) {
            call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
            return new ServerCall.Listener<>() {
            };
        } catch (RateLimited e) {
            Metadata trailers = new Metadata();
            trailers.put(RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
            call.close(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()), trailers);
            return new ServerCall.Listener<>() {
            };
        }
        return Contexts.interceptCall(Context.current().withValue(Caller.CONTEXT, caller), call, headers, next);
    }
}
