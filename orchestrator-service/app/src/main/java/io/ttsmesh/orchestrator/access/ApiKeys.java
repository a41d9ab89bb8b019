package io.ttsmesh.orchestrator.access;

import io.ttsmesh.orchestrator.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The API keys of the public API ({@code tts.orchestrator.auth.*}) and their limits. A client sends
 * {@code Authorization: Bearer <key>} (gRPC metadata {@code authorization}). Keys are configured by id with
 * the SHA-256 of the secret (or, for development, the secret itself); only digests are kept in memory, and
 * the comparison takes the same time whichever key matches. Neither the key nor its digest ever appears in a
 * message, an event or a log line: callers are named by key id.
 */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    private static final String BEARER = "Bearer ";

    private final boolean enabled;
    private final List<Key> keys;

    private record Key(String id, byte[] digest, Caller caller) {
    }

    @jakarta.inject.Inject
    ApiKeys(OrchestratorConfig config) {
        this(config.auth().enabled(), config.auth().keys());
    }

    public ApiKeys(boolean enabled, Map<String, OrchestratorConfig.Auth.Key> configured) {
        this.enabled = enabled;
        List<Key> list = new ArrayList<>();
        configured.forEach((id, key) -> {
            byte[] digest;
            if (key.secretSha256().isPresent()) {
                digest = HexFormat.of().parseHex(key.secretSha256().get().trim().toLowerCase());
            } else if (key.secret().isPresent() && !key.secret().get().isBlank()) {
                digest = sha256(key.secret().get());
            } else {
                throw new IllegalArgumentException("tts.orchestrator.auth.keys." + id + ": secret-sha256 or secret is required");
            }
            var limits = new KeyLimits(new RequestRate(key.requestsPerSecond(), key.burst()), key.maxTokensPerRequest(),
                    new TokenAllowance(key.tokenAllowance(), key.allowanceWindow()));
            list.add(new Key(id, digest, new Caller(id, limits)));
        });
        this.keys = List.copyOf(list);
        if (enabled && keys.isEmpty()) {
            LOG.warn("authentication is on and no API key is configured (tts.orchestrator.auth.keys.<id>.secret-sha256):"
                    + " every call to the public API is refused with UNAUTHENTICATED / 401");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Authenticates a call from its Authorization header and takes one request from its key's rate.
     *
     * @throws Unauthenticated without a valid key
     * @throws RateLimited     when the key is over its request rate
     */
    public Caller admit(String authorization) {
        if (!enabled) {
            return Caller.UNRESTRICTED;
        }
        Caller caller = authenticate(authorization);
        long wait = caller.limits().rate().tryTake();
        if (wait > 0) {
            throw new RateLimited("API key '" + caller.keyId() + "' is over its request rate; retry later", wait);
        }
        return caller;
    }

    Caller authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new Unauthenticated("an API key is required: send the header 'Authorization: Bearer <key>'");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new Unauthenticated("the Authorization header must read 'Bearer <key>'");
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).trim());
        Key match = null;
        for (Key key : keys) { // no early exit: the time taken does not tell which key came close
            if (MessageDigest.isEqual(key.digest(), presented)) {
                match = key;
            }
        }
        if (match == null) {
            throw new Unauthenticated("the API key is not valid");
        }
        return match.caller();
    }

    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
