package io.ttsmesh.orchestrator.access;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Authentication on, with keys made up now (never committed): "alpha" (configured by its SHA-256, generous
 * rate, at most 5,000 tokens per request), "burst" (two requests, then one per 100 s), "small" (an allowance of
 * 1,000 tokens an hour). The generator is reached over mutual TLS ({@link SecuredMeshResource}).
 */
public class SecuredProfile implements QuarkusTestProfile {

    public static final String ALPHA = key("sk-alpha-");
    public static final String BURST = key("sk-burst-");
    public static final String SMALL = key("sk-small-");

    /**
     * A random key, made once per JVM: the profile and the test class are loaded by different class loaders,
     * so the key is kept where both see it.
     */
    private static String key(String prefix) {
        return (String) System.getProperties().computeIfAbsent("ttsmesh.test.key." + prefix, k -> {
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            return prefix + HexFormat.of().formatHex(bytes);
        });
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("tts.orchestrator.auth.enabled", "true"),
                Map.entry("tts.orchestrator.auth.keys.alpha.secret-sha256", HexFormat.of().formatHex(ApiKeys.sha256(ALPHA))),
                Map.entry("tts.orchestrator.auth.keys.alpha.requests-per-second", "1000"),
                Map.entry("tts.orchestrator.auth.keys.alpha.burst", "1000"),
                Map.entry("tts.orchestrator.auth.keys.alpha.max-tokens-per-request", "5000"),
                Map.entry("tts.orchestrator.auth.keys.burst.secret", BURST),
                Map.entry("tts.orchestrator.auth.keys.burst.requests-per-second", "0.01"),
                Map.entry("tts.orchestrator.auth.keys.burst.burst", "2"),
                Map.entry("tts.orchestrator.auth.keys.small.secret", SMALL),
                Map.entry("tts.orchestrator.auth.keys.small.max-tokens-per-request", "1000"),
                Map.entry("tts.orchestrator.auth.keys.small.token-allowance", "1000"),
                Map.entry("tts.orchestrator.auth.keys.small.allowance-window", "1h"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SecuredMeshResource.class));
    }
}
