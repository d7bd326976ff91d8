package dev.gatehouse.session.session;

import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.session.SessionCreated;
import dev.gatehouse.contract.event.session.SessionRevoked;
import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.id.Ids;
import dev.gatehouse.kit.outbox.Outbox;
import dev.gatehouse.session.ServerConfig;
import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.crypto.RandomTokens;
import dev.gatehouse.session.crypto.SecretHasher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Sessions and their refresh-token families. One session per sign-in; its refresh tokens rotate on every use, and a
 * rotated token presented again after {@code gatehouse.session.refresh-reuse-grace} is treated as stolen: the whole
 * family and the session are revoked. Every open and revoke records an event through the outbox.
 */
@Singleton
public class SessionService {
    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);
    static final String REFRESH_PURPOSE = "refresh-token";
    static final String HANDLE_PURPOSE = "session-handle";
    public static final String REFRESH_TOKEN_PREFIX = "ghr_";
    public static final int MAX_LISTED = 200;

    private final SessionStore store;
    private final SessionHotState hot;
    private final SecretHasher hasher;
    private final Outbox outbox;
    private final TransactionOperations<Connection> transactions;
    private final ServerConfig config;
    private final Clock clock;

    public SessionService(SessionStore store, SessionHotState hot, SecretHasher hasher, Outbox outbox,
                          TransactionOperations<Connection> transactions, ServerConfig config, Clock clock) {
        this.store = store;
        this.hot = hot;
        this.hasher = hasher;
        this.outbox = outbox;
        this.transactions = transactions;
        this.config = config;
        this.clock = clock;
    }

    /**
     * What opening a session needs.
     *
     * @param userId           the authenticated user
     * @param organizationId   the organization the session acts in, or null
     * @param client           the client it is for
     * @param scopes           granted scopes
     * @param audience         audiences of its access tokens
     * @param userClaims       email, email_verified, name, picture_url
     * @param platformAdmin    the user is a platform admin
     * @param authTime         when the user authenticated
     * @param userAgent        the user agent
     * @param ipAddress        the client address
     * @param withRefreshToken start a refresh family
     * @param browser          seal a handle for a browser cookie
     * @param sessionId        the id to give it (see {@link #newSessionId()}), or null for a fresh one
     */
    public record OpenRequest(@Nullable String sessionId, String userId, @Nullable String organizationId,
                              OAuthClient client, Set<String> scopes, List<String> audience,
                              Map<String, Object> userClaims, boolean platformAdmin, Instant authTime,
                              @Nullable String userAgent, @Nullable String ipAddress, boolean withRefreshToken,
                              boolean browser) {
    }

    /** An id for a session about to be opened (when something must point at it before it exists). */
    public String newSessionId() {
        return Ids.next("ses", clock);
    }

    /** An open session, with the secrets shown to the caller once (stored only hashed). */
    public record Opened(SessionRecord session, @Nullable String refreshToken, @Nullable String handle) {
    }

    public Opened open(OpenRequest request) {
        Instant now = now();
        OAuthClient client = request.client();
        String sessionId = request.sessionId() != null ? request.sessionId() : newSessionId();
        var session = new SessionRecord(sessionId, request.userId(), request.organizationId(), client.clientId(),
                request.scopes(), request.audience(), request.userClaims(), request.platformAdmin(),
                truncate(request.userAgent(), 512), truncate(request.ipAddress(), 64), request.authTime().truncatedTo(ChronoUnit.MICROS), now, now,
                now.plus(client.refreshAbsoluteTtl()), now.plus(client.accessTokenTtl()), null, null);
        String refreshToken = request.withRefreshToken() ? RandomTokens.prefixed(REFRESH_TOKEN_PREFIX) : null;
        String handle = request.browser() ? RandomTokens.next(32) : null;
        transactions.executeWrite(status -> {
            store.insert(session, handle == null ? null : hasher.hash(HANDLE_PURPOSE, handle));
            if (refreshToken != null) {
                store.insertRefreshToken(hasher.hash(REFRESH_PURPOSE, refreshToken), sessionId, client.clientId(),
                        request.scopes(), now, min(now.plus(client.refreshIdleTtl()), session.absoluteExpiresAt()));
            }
            outbox.record(Events.SESSION_CREATED, org(request.organizationId()), new SessionCreated(sessionId,
                    request.userId(), request.organizationId(), client.clientId(), now));
            return null;
        });
        hot.markActive(sessionId, session.absoluteExpiresAt());
        LOG.info("opened session {} for user {} via client {}", sessionId, request.userId(), client.clientId());
        return new Opened(session, refreshToken, handle);
    }

    /** What presenting a refresh token can come to. */
    public sealed interface RefreshOutcome<T> permits Rotated, Refused {
    }

    /** The token was rotated: {@code refreshToken} replaces it; {@code issued} is what the issuer made of it. */
    public record Rotated<T>(SessionRecord session, Set<String> grantedScopes, String refreshToken, T issued)
            implements RefreshOutcome<T> {
    }

    /**
     * Refused: {@code error} is the OAuth error code ({@code invalid_grant}, or {@code invalid_scope} for a scope
     * beyond the original grant), {@code description} is safe to show.
     */
    public record Refused<T>(String error, String description) implements RefreshOutcome<T> {
        Refused(String description) {
            this("invalid_grant", description);
        }
    }

    /**
     * Rotates a refresh token and, in the same transaction, lets {@code issue} mint what the client gets: if
     * minting fails (no signing key, permissions unavailable) the rotation rolls back and the presented token stays
     * valid, so a failed refresh never costs the client its session. Of concurrent presentations of one token
     * exactly one wins; the others are refused, and only a presentation later than the reuse grace after the
     * rotation revokes the session.
     *
     * @param presented       the refresh token
     * @param client          the authenticated client (must be the one the token was issued to)
     * @param requestedScopes narrower scopes for the new access token, or null for the original grant
     * @param accessTokenExp  the expiry of the access token about to be minted (recorded on the session)
     * @param issue           mints the answer from the session and the granted scopes
     */
    public <T> RefreshOutcome<T> refresh(String presented, OAuthClient client, @Nullable Set<String> requestedScopes,
                                         Instant accessTokenExp, BiFunction<SessionRecord, Set<String>, T> issue) {
        if (!presented.startsWith(REFRESH_TOKEN_PREFIX) || presented.length() > 100) {
            return new Refused<>("unknown refresh token");
        }
        byte[] hash = hasher.hash(REFRESH_PURPOSE, presented);
        Instant now = now();
        String next = RandomTokens.prefixed(REFRESH_TOKEN_PREFIX);
        RefreshOutcome<T> outcome = transactions.executeWrite(status -> {
            Optional<SessionStore.Claimed> claimed = store.claimRefreshTokenWithSession(hash, now);
            if (claimed.isEmpty()) {
                return this.<T>reuse(hash, client, now);
            }
            SessionStore.RefreshRow row = claimed.get().token();
            if (!row.clientId().equals(client.clientId())) {
                status.setRollbackOnly();
                return new Refused<>("refresh token was issued to another client");
            }
            if (!now.isBefore(row.expiresAt())) {
                status.setRollbackOnly();
                return new Refused<>("refresh token expired");
            }
            SessionRecord session = claimed.get().session();
            if (!session.activeAt(now)) {
                status.setRollbackOnly();
                return new Refused<>("session ended");
            }
            Set<String> granted = row.scopes();
            if (requestedScopes != null) {
                if (!granted.containsAll(requestedScopes)) {
                    status.setRollbackOnly();
                    return new Refused<>("invalid_scope", "scope exceeds the original grant");
                }
                granted = requestedScopes;
            }
            store.rotateInto(hasher.hash(REFRESH_PURPOSE, next), session.id(), client.clientId(), row.scopes(), now,
                    min(now.plus(client.refreshIdleTtl()), session.absoluteExpiresAt()), accessTokenExp);
            return new Rotated<>(session, granted, next, issue.apply(session, granted));
        });
        if (outcome instanceof Refused<T> refused && refused.description().startsWith("refresh token reused")) {
            LOG.warn("refresh token reuse for client {}: session revoked", client.clientId());
        }
        return outcome;
    }

    private <T> RefreshOutcome<T> reuse(byte[] hash, OAuthClient client, Instant now) {
        Optional<SessionStore.RefreshRow> row = store.findRefreshToken(hash);
        if (row.isEmpty() || row.get().rotatedAt() == null || !row.get().clientId().equals(client.clientId())) {
            return new Refused<>("unknown refresh token");
        }
        Duration since = Duration.between(row.get().rotatedAt(), now);
        if (since.compareTo(config.refreshReuseGrace()) <= 0) {
            return new Refused<>("refresh token already used");
        }
        revokeInTransaction(row.get().sessionId(), "refresh_token_reuse", now);
        return new Refused<>("refresh token reused; the session has been revoked");
    }

    /** The session and client a refresh token (rotated or not) belongs to. */
    public record TokenOwner(String sessionId, String clientId) {
    }

    public Optional<TokenOwner> refreshTokenSession(String presented) {
        if (!presented.startsWith(REFRESH_TOKEN_PREFIX) || presented.length() > 100) {
            return Optional.empty();
        }
        byte[] hash = hasher.hash(REFRESH_PURPOSE, presented);
        return transactions.executeRead(status -> store.findRefreshToken(hash)
                .map(row -> new TokenOwner(row.sessionId(), row.clientId())));
    }

    /**
     * A refresh token as introspection reports it.
     *
     * @param usable not rotated, not expired, and its session lives
     */
    public record RefreshTokenState(String sessionId, String clientId, String userId, Set<String> scopes,
                                    Instant expiresAt, boolean usable) {
    }

    public Optional<RefreshTokenState> refreshTokenState(String presented) {
        if (!presented.startsWith(REFRESH_TOKEN_PREFIX) || presented.length() > 100) {
            return Optional.empty();
        }
        byte[] hash = hasher.hash(REFRESH_PURPOSE, presented);
        Instant now = now();
        return transactions.executeRead(status -> store.findRefreshToken(hash).flatMap(row -> store
                .find(row.sessionId()).map(session -> new RefreshTokenState(session.id(), row.clientId(),
                        session.userId(), row.scopes(), row.expiresAt(),
                        row.rotatedAt() == null && now.isBefore(row.expiresAt()) && session.activeAt(now)))));
    }

    /** Revokes a session and its refresh family; false when it was not live. */
    public boolean revoke(String sessionId, String reason) {
        Instant now = now();
        return transactions.executeWrite(status -> revokeInTransaction(sessionId, reason, now));
    }

    /** Revokes every live session of a user (in one organization when given); returns how many. */
    public int revokeAll(String userId, @Nullable String organizationId, String reason) {
        Instant now = now();
        return transactions.executeWrite(status -> {
            int count = 0;
            for (SessionRecord s : store.active(userId, organizationId, now, Integer.MAX_VALUE)) {
                count += revokeInTransaction(s.id(), reason, now) ? 1 : 0;
            }
            return count;
        });
    }

    /** Revokes every live session of a client (it was deleted). */
    public int revokeAllOfClient(String clientId, String reason) {
        Instant now = now();
        return transactions.executeWrite(status -> {
            int count = 0;
            for (String id : store.activeIdsOfClient(clientId)) {
                count += revokeInTransaction(id, reason, now) ? 1 : 0;
            }
            return count;
        });
    }

    private boolean revokeInTransaction(String sessionId, String reason, Instant now) {
        Optional<SessionRecord> revoked = store.revoke(sessionId, reason, now);
        revoked.ifPresent(s -> {
            outbox.record(Events.SESSION_REVOKED, org(s.organizationId()), new SessionRevoked(s.id(), s.userId(),
                    s.organizationId(), reason, now, s.tokensExpireBy()));
            // Redis after the write is queued: should the transaction roll back, a revoked mark errs on the safe side
            hot.markRevoked(s.id(), s.tokensExpireBy().plus(Duration.ofMinutes(1)));
            LOG.info("revoked session {} of user {} ({})", s.id(), s.userId(), reason);
        });
        return revoked.isPresent();
    }

    /** Whether the session lives: Redis first, PostgreSQL when Redis does not know. */
    public boolean isActive(String sessionId) {
        switch (hot.status(sessionId)) {
            case ACTIVE:
                return true;
            case REVOKED:
                return false;
            default:
                break;
        }
        Optional<SessionRecord> session = find(sessionId);
        Instant now = now();
        session.ifPresent(s -> {
            if (s.activeAt(now)) {
                hot.markActive(s.id(), s.absoluteExpiresAt());
            } else if (s.revokedAt() != null) {
                hot.markRevoked(s.id(), s.tokensExpireBy().plus(Duration.ofMinutes(1)));
            }
        });
        return session.map(s -> s.activeAt(now)).orElse(false);
    }

    public Optional<SessionRecord> find(String sessionId) {
        return transactions.executeRead(status -> store.find(sessionId));
    }

    public List<SessionRecord> activeSessions(String userId) {
        Instant now = now();
        return transactions.executeRead(status -> new ArrayList<>(store.active(userId, null, now, MAX_LISTED)));
    }

    /**
     * The live browser session whose sealed handle this is, recording the use; empty when the handle is wrong or
     * the session ended.
     */
    public Optional<SessionRecord> resumeBrowser(String sessionId, String handle, Instant accessTokenExp) {
        Instant now = now();
        return transactions.executeWrite(status -> {
            Optional<byte[]> stored = store.handleHash(sessionId);
            if (stored.isEmpty() || !hasher.matches(HANDLE_PURPOSE, handle, stored.get())) {
                return Optional.<SessionRecord>empty();
            }
            Optional<SessionRecord> session = store.find(sessionId).filter(s -> s.activeAt(now));
            session.ifPresent(s -> store.touch(s.id(), now, accessTokenExp));
            return session;
        });
    }

    /** Moves a live session to another organization (the user switched); empty when it is not live. */
    public Optional<SessionRecord> switchOrganization(String sessionId, String organizationId, Instant accessTokenExp) {
        Instant now = now();
        return transactions.executeWrite(status -> {
            Optional<SessionRecord> session = store.find(sessionId).filter(s -> s.activeAt(now));
            session.ifPresent(s -> {
                store.switchOrganization(s.id(), organizationId);
                store.touch(s.id(), now, accessTokenExp);
            });
            return session.flatMap(s -> store.find(s.id()));
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static OrgId org(@Nullable String organizationId) {
        if (organizationId == null) {
            return null;
        }
        try {
            return new OrgId(organizationId);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String truncate(@Nullable String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
