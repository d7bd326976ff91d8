package dev.gatehouse.session.client;

import dev.gatehouse.session.ServerConfig;
import dev.gatehouse.session.crypto.RandomTokens;
import dev.gatehouse.session.crypto.SecretHasher;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registered clients: validated writes, and reads cached for a few seconds so the token endpoint never waits for
 * PostgreSQL on the hot path. A write on this replica invalidates its cache at once; other replicas see it within
 * {@link #CACHE_TTL}.
 */
@Singleton
public class ClientRegistry {
    static final Duration CACHE_TTL = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ClientRegistry.class);
    private static final String SECRET_PURPOSE = "client-secret";
    private static final int MAX_CACHED = 10_000;
    /** Hash compared when the client is unknown, so unknown and wrong-secret take the same time. */
    private static final byte[] NO_SECRET = new byte[32];

    private final ClientStore store;
    private final SecretHasher hasher;
    private final ServerConfig config;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public ClientRegistry(ClientStore store, SecretHasher hasher, ServerConfig config, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.config = config;
        this.clock = clock;
    }

    private record Cached(Optional<OAuthClient> client, long expiresAtNanos) {
    }

    public Optional<OAuthClient> find(String clientId) {
        if (clientId == null || !ClientSpec.CLIENT_ID.matcher(clientId).matches()) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        Cached cached = cache.get(clientId);
        if (cached != null && now - cached.expiresAtNanos < 0) {
            return cached.client;
        }
        Optional<OAuthClient> client = store.find(clientId);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(clientId, new Cached(client, now + CACHE_TTL.toNanos()));
        return client;
    }

    /** Whether a fresh answer for {@code clientId} is cached (finding it needs no database read). */
    public boolean isCached(String clientId) {
        Cached cached = cache.get(clientId);
        return cached != null && System.nanoTime() - cached.expiresAtNanos < 0;
    }

    /** Straight from PostgreSQL, for the admin API (which must show a change at once). */
    public Optional<OAuthClient> findUncached(String clientId) {
        return store.find(clientId);
    }

    /**
     * Whether {@code secret} is the client's current secret, or its previous one inside the rotation overlap.
     * Compares in constant time, and costs the same for an unknown client ({@code client == null}).
     */
    public boolean secretMatches(@Nullable OAuthClient client, String secret) {
        if (client == null || client.secretHash() == null) {
            hasher.matches(SECRET_PURPOSE, secret, NO_SECRET);
            return false;
        }
        boolean current = hasher.matches(SECRET_PURPOSE, secret, client.secretHash());
        boolean previous = client.previousSecretHash() != null && client.previousSecretExpiresAt() != null
                && clock.instant().isBefore(client.previousSecretExpiresAt())
                && hasher.matches(SECRET_PURPOSE, secret, client.previousSecretHash());
        return current | previous;
    }

    /** What creating a client can come to. */
    public sealed interface CreateOutcome permits Created, IdTaken {
    }

    /** Created; {@code secret} is shown once and never stored in plain text (null for public clients). */
    public record Created(OAuthClient client, @Nullable String secret) implements CreateOutcome {
    }

    public record IdTaken(String clientId) implements CreateOutcome {
    }

    /** Creates a client from a valid spec (the caller checked {@link ClientSpec#problems()}). */
    public CreateOutcome create(ClientSpec spec, String source) {
        String clientId = spec.clientId() != null ? spec.clientId() : "cl_" + RandomTokens.next(16);
        String secret = spec.clientType() == ClientType.CONFIDENTIAL ? RandomTokens.prefixed("ghcs_") : null;
        Instant now = now();
        OAuthClient client = build(clientId, spec, secret == null ? null : hashSecret(secret), source, now, now);
        if (!store.insert(client)) {
            return new IdTaken(clientId);
        }
        cache.remove(clientId);
        LOG.info("created {} client {}", client.type().wireName(), clientId);
        return new Created(client, secret);
    }

    /** Replaces a client's settings (not its type's secret); empty when it does not exist. */
    public Optional<OAuthClient> update(String clientId, ClientSpec spec) {
        Optional<OAuthClient> existing = store.find(clientId);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        OAuthClient old = existing.get();
        byte[] secretHash = old.secretHash();
        if (spec.clientType() != old.type()) {
            throw new IllegalArgumentException("type");
        }
        OAuthClient updated = build(clientId, spec, secretHash, old.source(), old.createdAt(), now());
        updated = withPreviousSecret(updated, old.previousSecretHash(), old.previousSecretExpiresAt());
        store.update(updated);
        cache.remove(clientId);
        LOG.info("updated client {}", clientId);
        return Optional.of(updated);
    }

    /**
     * Gives a confidential client a new secret. The old one keeps working for {@code overlap} (zero: not at all).
     * Empty when the client does not exist or is public.
     */
    public Optional<String> rotateSecret(String clientId, Duration overlap) {
        Optional<OAuthClient> existing = store.find(clientId);
        if (existing.isEmpty() || existing.get().isPublic()) {
            return Optional.empty();
        }
        OAuthClient old = existing.get();
        String secret = RandomTokens.prefixed("ghcs_");
        Instant now = now();
        OAuthClient rotated = copy(old, hashSecret(secret), now);
        rotated = overlap.isZero() ? withPreviousSecret(rotated, null, null)
                : withPreviousSecret(rotated, old.secretHash(), now.plus(overlap));
        store.update(rotated);
        cache.remove(clientId);
        LOG.info("rotated the secret of client {} (old secret valid for {})", clientId, overlap);
        return Optional.of(secret);
    }

    public boolean delete(String clientId) {
        boolean deleted = store.delete(clientId);
        cache.remove(clientId);
        if (deleted) {
            LOG.info("deleted client {}", clientId);
        }
        return deleted;
    }

    public List<OAuthClient> list(@Nullable String after, int limit) {
        return store.list(after, limit);
    }

    /**
     * Makes a declared client (bootstrap file) exist exactly as declared: inserted when absent, updated when it
     * differs, left alone (not even {@code updated_at}) when it matches. Returns what it did.
     */
    public String declare(ClientSpec spec, @Nullable String secret) {
        String clientId = spec.clientId();
        Optional<OAuthClient> existing = store.find(clientId);
        Instant now = now();
        if (existing.isEmpty()) {
            byte[] hash = secret == null ? null : hashSecret(secret);
            if (!store.insert(build(clientId, spec, hash, "bootstrap", now, now))) {
                return "unchanged";
            }
            cache.remove(clientId);
            return "created";
        }
        OAuthClient old = existing.get();
        if (old.type() != spec.clientType()) {
            throw new dev.gatehouse.kit.app.InvalidConfigurationException(java.util.List.of("bootstrap file: client "
                    + clientId + ": type cannot change from " + old.type().wireName() + " to "
                    + spec.clientType().wireName() + " (delete the client through the admin API first)"));
        }
        byte[] hash = secret == null ? null
                : hasher.matches(SECRET_PURPOSE, secret, old.secretHash()) ? old.secretHash() : hashSecret(secret);
        OAuthClient wanted = build(clientId, spec, hash, "bootstrap", old.createdAt(), old.updatedAt());
        if (sameSettings(old, wanted)) {
            return "unchanged";
        }
        store.update(build(clientId, spec, hash, "bootstrap", old.createdAt(), now));
        cache.remove(clientId);
        return "updated";
    }

    private byte[] hashSecret(String secret) {
        return hasher.hash(SECRET_PURPOSE, secret);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private OAuthClient build(String clientId, ClientSpec spec, byte[] secretHash, String source, Instant created,
                              Instant updated) {
        return new OAuthClient(clientId, spec.clientType(), spec.displayName().strip(), secretHash, null, null,
                spec.redirectUris(), spec.postLogoutRedirectUris(), spec.grants(), new LinkedHashSet<>(spec.scopes()),
                spec.audiences(), spec.resourceAudience(),
                seconds(spec.accessTokenTtlSeconds(), config.accessTokenTtl()),
                seconds(spec.refreshIdleTtlSeconds(), config.refreshIdleTtl()),
                seconds(spec.refreshAbsoluteTtlSeconds(), config.refreshAbsoluteTtl()),
                Boolean.TRUE.equals(spec.refreshWithoutOfflineAccess()), Boolean.TRUE.equals(spec.platformAdmin()),
                source, created, updated);
    }

    private static Duration seconds(Integer value, Duration fallback) {
        return value == null ? fallback : Duration.ofSeconds(value);
    }

    private static OAuthClient copy(OAuthClient c, byte[] secretHash, Instant updated) {
        return new OAuthClient(c.clientId(), c.type(), c.displayName(), secretHash, c.previousSecretHash(),
                c.previousSecretExpiresAt(), c.redirectUris(), c.postLogoutRedirectUris(), c.grantTypes(), c.scopes(),
                c.audiences(), c.resourceAudience(), c.accessTokenTtl(), c.refreshIdleTtl(), c.refreshAbsoluteTtl(),
                c.refreshWithoutOfflineAccess(), c.platformAdmin(), c.source(), c.createdAt(), updated);
    }

    private static OAuthClient withPreviousSecret(OAuthClient c, byte[] previousHash, Instant previousExpiry) {
        return new OAuthClient(c.clientId(), c.type(), c.displayName(), c.secretHash(), previousHash, previousExpiry,
                c.redirectUris(), c.postLogoutRedirectUris(), c.grantTypes(), c.scopes(), c.audiences(),
                c.resourceAudience(), c.accessTokenTtl(), c.refreshIdleTtl(), c.refreshAbsoluteTtl(),
                c.refreshWithoutOfflineAccess(), c.platformAdmin(), c.source(), c.createdAt(), c.updatedAt());
    }

    private static boolean sameSettings(OAuthClient a, OAuthClient b) {
        return a.type() == b.type() && a.displayName().equals(b.displayName())
                && java.util.Arrays.equals(a.secretHash(), b.secretHash())
                && a.redirectUris().equals(b.redirectUris())
                && a.postLogoutRedirectUris().equals(b.postLogoutRedirectUris())
                && a.grantTypes().equals(b.grantTypes()) && a.scopes().equals(b.scopes())
                && a.audiences().equals(b.audiences())
                && java.util.Objects.equals(a.resourceAudience(), b.resourceAudience())
                && a.accessTokenTtl().equals(b.accessTokenTtl()) && a.refreshIdleTtl().equals(b.refreshIdleTtl())
                && a.refreshAbsoluteTtl().equals(b.refreshAbsoluteTtl())
                && a.refreshWithoutOfflineAccess() == b.refreshWithoutOfflineAccess()
                && a.platformAdmin() == b.platformAdmin() && a.source().equals(b.source());
    }
}
