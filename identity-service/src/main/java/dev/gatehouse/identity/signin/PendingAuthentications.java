package dev.gatehouse.identity.signin;

import dev.gatehouse.identity.internal.crypto.SecretHasher;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code pendingAuthenticationToken}s: a user authenticated but must pick an organization. The token is 256 random
 * bits handed to the client once; Redis keeps only its keyed hash, with a short TTL, and {@link #take} removes it
 * atomically (GETDEL), so each token works once. Expired, replayed and made-up tokens are indistinguishable.
 */
@Singleton
public class PendingAuthentications {
    private static final String PURPOSE = "pending-authentication";
    private static final String PREFIX = "gatehouse:identity:pending:";
    private final StatefulRedisConnection<String, String> redis;
    private final SecretHasher hasher;
    private final JsonMapper json;
    private final SignInConfig config;

    public PendingAuthentications(StatefulRedisConnection<String, String> redis, SecretHasher hasher, JsonMapper json,
                                  SignInConfig config) {
        this.redis = redis;
        this.hasher = hasher;
        this.json = json;
        this.config = config;
    }

    /**
     * What a pending authentication remembers.
     *
     * @param userId          who authenticated
     * @param context         where (client, delivery, method, ...)
     * @param organizationIds the organizations offered
     */
    @Serdeable
    public record Pending(String userId, SignInContext context, List<String> organizationIds) {
    }

    /** Stores {@code pending} and returns its token. */
    public String issue(Pending pending) {
        String token = SecretHasher.randomToken(32);
        String value;
        try {
            value = json.writeValueAsString(pending);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        redis.sync().set(key(token), value, SetArgs.Builder.px(config.pendingTtl().toMillis()));
        return token;
    }

    /** The pending authentication of {@code token}, consumed; empty when expired, used or unknown. */
    public Optional<Pending> take(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Optional.empty();
        }
        String value = redis.sync().getdel(key(token));
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(value, Pending.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String key(String token) {
        return PREFIX + hasher.hashHex(PURPOSE, token);
    }
}
