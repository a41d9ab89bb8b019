package io.ttsmesh.orchestrator.access;

import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.ttsmesh.orchestrator.testing.ScriptedGenerator;
import io.ttsmesh.orchestrator.testing.ScriptedVerifier;
import io.ttsmesh.orchestrator.testing.TestCertificates;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A scripted generator pod that speaks only mutual TLS (certificates made now by keytool), a plaintext
 * scripted verifier, and the orchestrator's TLS configuration "mesh-test" for the generators: trust the
 * generator's certificate, present its own.
 */
public class SecuredMeshResource implements QuarkusTestResourceLifecycleManager {

    public static volatile ScriptedGenerator generator;
    public static volatile ScriptedVerifier verifier;
    public static volatile TestCertificates generatorCerts;
    public static volatile TestCertificates orchestratorCerts;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "tts-tls-" + ProcessHandle.current().pid());
            generatorCerts = TestCertificates.create(dir, "generator");
            orchestratorCerts = TestCertificates.create(dir, "orchestrator");
            var ssl = GrpcSslContexts.configure(io.netty.handler.ssl.SslContextBuilder.forServer(generatorCerts.keyManagers()))
                    .trustManager(orchestratorCerts.trustManagers())
                    .clientAuth(ClientAuth.REQUIRE)
                    .build();
            generator = new ScriptedGenerator("gen-tls", NettyServerBuilder.forPort(0).sslContext(ssl));
            verifier = new ScriptedVerifier("ver-plain");
            Map<String, String> config = new HashMap<>();
            config.put("tts.orchestrator.generators.addresses", generator.address());
            config.put("tts.orchestrator.verifiers.addresses", verifier.address());
            config.put("tts.orchestrator.generators.tls-configuration-name", "mesh-test");
            config.put("quarkus.tls.mesh-test.trust-store.pem.certs", generatorCerts.certificate().toString());
            config.put("quarkus.tls.mesh-test.key-store.p12.path", orchestratorCerts.keyStore().toString());
            config.put("quarkus.tls.mesh-test.key-store.p12.password", orchestratorCerts.password());
            return config;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        try {
            generator.close();
            verifier.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
