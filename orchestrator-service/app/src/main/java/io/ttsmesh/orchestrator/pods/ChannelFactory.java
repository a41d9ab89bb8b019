package io.ttsmesh.orchestrator.pods;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.quarkus.tls.TlsConfiguration;
import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;

/**
 * Makes the channel to one pod: plaintext, or TLS from a named configuration of the Quarkus TLS registry
 * ({@code quarkus.tls.<name>.*}: trust store for the pods' CA, key store for mutual TLS). With TLS the pod's
 * certificate must name the host the channel was configured with: for a {@code dns:///} entry that is the DNS
 * name, even though the channel dials one resolved address.
 */
public final class ChannelFactory {

    public static final ChannelFactory PLAINTEXT = new ChannelFactory(null, null);

    private final SslContext ssl;
    private final String tlsName;

    private ChannelFactory(SslContext ssl, String tlsName) {
        this.ssl = ssl;
        this.tlsName = tlsName;
    }

    /** Channels with TLS from {@code tls}; its key store, if any, is presented to the pods (mutual TLS). */
    public static ChannelFactory tls(String name, TlsConfiguration tls, Vertx vertx) {
        try {
            SslContextBuilder builder = GrpcSslContexts.forClient();
            if (tls.getKeyStoreOptions() != null) {
                builder.keyManager(tls.getKeyStoreOptions().getKeyManagerFactory(vertx));
            }
            if (tls.isTrustAll()) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (tls.getTrustStoreOptions() != null) {
                builder.trustManager(tls.getTrustStoreOptions().getTrustManagerFactory(vertx));
            }
            return new ChannelFactory(builder.build(), name);
        } catch (Exception e) {
            throw new IllegalStateException("TLS configuration '" + name + "' cannot make a gRPC client context: " + e.getMessage(), e);
        }
    }

    public boolean secure() {
        return ssl != null;
    }

    public String tlsName() {
        return tlsName;
    }

    /**
     * A channel to {@code address} ({@code host:port}); with TLS, {@code authority} (may be null) is the name the
     * pod's certificate is checked against.
     */
    ManagedChannel channel(String address, String authority) {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(address)
                // Long-lived streams: keepalive notices a dead pod (no RST from a killed process behind NAT).
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .maxInboundMessageSize(64 * 1024 * 1024)
                // Callbacks run on the Netty event loop that read the message, not handed to a pool thread first:
                // every observer of ours only queues the message for the waiting search (SessionStream,
                // ScoreStream) and blocking stubs run theirs on the caller's thread anyway. One hand-off less per
                // answer.
                .directExecutor();
        if (ssl == null) {
            builder.usePlaintext();
        } else {
            builder.sslContext(ssl);
            if (authority != null) {
                builder.overrideAuthority(authority);
            }
        }
        return builder.build();
    }
}
