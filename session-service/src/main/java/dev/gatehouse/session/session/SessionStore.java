package dev.gatehouse.session.session;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code session} and {@code refresh_token} tables. Every method joins the caller's transaction
 * ({@link SessionService} draws the boundaries).
 */
@Singleton
public class SessionStore {
    private static final List<String> FIELDS = List.of("id", "user_id", "organization_id", "client_id", "scope",
            "audience", "claims::text as claims", "platform_admin", "user_agent", "ip_address", "auth_time",
            "created_at", "last_seen_at", "absolute_expires_at", "tokens_expire_by", "revoked_at", "revoked_reason");
    private static final String COLUMNS = String.join(", ", FIELDS);
    /** The same columns of a {@code session s} in a join. */
    private static final String S_COLUMNS = String.join(", ", FIELDS.stream().map(f -> "s." + f).toList());
    private static final Argument<Map<String, Object>> CLAIMS = Argument.mapOf(String.class, Object.class);
    private final DataSource dataSource;
    private final JsonMapper json;

    public SessionStore(DataSource dataSource, JsonMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** What the refresh_token row of a presented token says. */
    public record RefreshRow(String sessionId, String clientId, Set<String> scopes, Instant expiresAt,
                             @Nullable Instant rotatedAt) {
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void insert(SessionRecord s, @Nullable byte[] handleHash) {
        run("""
                insert into session (id, user_id, organization_id, client_id, scope, audience, claims, platform_admin,
                  user_agent, ip_address, auth_time, created_at, last_seen_at, absolute_expires_at, tokens_expire_by,
                  handle_hash)
                values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", ps -> {
            ps.setString(1, s.id());
            ps.setString(2, s.userId());
            ps.setString(3, s.organizationId());
            ps.setString(4, s.clientId());
            ps.setString(5, String.join(" ", s.scopes()));
            ps.setString(6, String.join(" ", s.audience()));
            ps.setString(7, write(s.userClaims()));
            ps.setBoolean(8, s.platformAdmin());
            ps.setString(9, s.userAgent());
            ps.setString(10, s.ipAddress());
            ps.setTimestamp(11, Timestamp.from(s.authTime()));
            ps.setTimestamp(12, Timestamp.from(s.createdAt()));
            ps.setTimestamp(13, Timestamp.from(s.lastSeenAt()));
            ps.setTimestamp(14, Timestamp.from(s.absoluteExpiresAt()));
            ps.setTimestamp(15, Timestamp.from(s.tokensExpireBy()));
            ps.setBytes(16, handleHash);
            ps.executeUpdate();
            return null;
        });
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void insertRefreshToken(byte[] hash, String sessionId, String clientId, Set<String> scopes, Instant issuedAt,
                                   Instant expiresAt) {
        run("""
                insert into refresh_token (token_hash, session_id, client_id, scope, issued_at, expires_at)
                values (?, ?, ?, ?, ?, ?)""", ps -> {
            ps.setBytes(1, hash);
            ps.setString(2, sessionId);
            ps.setString(3, clientId);
            ps.setString(4, String.join(" ", scopes));
            ps.setTimestamp(5, Timestamp.from(issuedAt));
            ps.setTimestamp(6, Timestamp.from(expiresAt));
            ps.executeUpdate();
            return null;
        });
    }

    /** A claimed refresh token with its session, read in the same statement. */
    public record Claimed(RefreshRow token, SessionRecord session) {
    }

    /**
     * Marks the token rotated if it was not yet, and reads its session, in one round trip: what every refresh does
     * first. Of two concurrent callers exactly one gets the row (the other waits for the row lock, then finds
     * {@code rotated_at} set and gets nothing).
     */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public Optional<Claimed> claimRefreshTokenWithSession(byte[] hash, Instant now) {
        return run("""
                with claimed as (
                  update refresh_token set rotated_at = ? where token_hash = ? and rotated_at is null
                  returning session_id, client_id, scope as token_scope, expires_at
                )
                select claimed.session_id, claimed.client_id as token_client_id, claimed.token_scope,
                       claimed.expires_at, """ + S_COLUMNS + " from claimed join session s on s.id = claimed.session_id",
                ps -> {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setBytes(2, hash);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        RefreshRow token = new RefreshRow(rs.getString("session_id"),
                                rs.getString("token_client_id"), scopes(rs.getString("token_scope")),
                                rs.getTimestamp("expires_at").toInstant(), null);
                        return Optional.of(new Claimed(token, read(rs)));
                    }
                });
    }

    /** The next refresh token of a family and the session's use, in one round trip. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void rotateInto(byte[] hash, String sessionId, String clientId, Set<String> scopes, Instant issuedAt,
                           Instant expiresAt, Instant tokensExpireBy) {
        run("""
                with next_token as (
                  insert into refresh_token (token_hash, session_id, client_id, scope, issued_at, expires_at)
                  values (?, ?, ?, ?, ?, ?)
                )
                update session set last_seen_at = ?, tokens_expire_by = greatest(tokens_expire_by, ?) where id = ?""",
                ps -> {
                    ps.setBytes(1, hash);
                    ps.setString(2, sessionId);
                    ps.setString(3, clientId);
                    ps.setString(4, String.join(" ", scopes));
                    ps.setTimestamp(5, Timestamp.from(issuedAt));
                    ps.setTimestamp(6, Timestamp.from(expiresAt));
                    ps.setTimestamp(7, Timestamp.from(issuedAt));
                    ps.setTimestamp(8, Timestamp.from(tokensExpireBy));
                    ps.setString(9, sessionId);
                    ps.executeUpdate();
                    return null;
                });
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public Optional<RefreshRow> findRefreshToken(byte[] hash) {
        return run("select session_id, client_id, scope, expires_at, rotated_at from refresh_token where token_hash = ?",
                ps -> {
                    ps.setBytes(1, hash);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(refreshRow(rs, true)) : Optional.empty();
                    }
                });
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public Optional<SessionRecord> find(String sessionId) {
        return run("select " + COLUMNS + " from session where id = ?", ps -> {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        });
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public Optional<byte[]> handleHash(String sessionId) {
        return run("select handle_hash from session where id = ?", ps -> {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.empty();
            }
        });
    }

    /** Records a use: last seen, and the latest expiry of a token minted for it. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void touch(String sessionId, Instant lastSeen, Instant tokensExpireBy) {
        run("""
                update session set last_seen_at = ?, tokens_expire_by = greatest(tokens_expire_by, ?)
                where id = ?""", ps -> {
            ps.setTimestamp(1, Timestamp.from(lastSeen));
            ps.setTimestamp(2, Timestamp.from(tokensExpireBy));
            ps.setString(3, sessionId);
            ps.executeUpdate();
            return null;
        });
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public void switchOrganization(String sessionId, String organizationId) {
        run("update session set organization_id = ? where id = ?", ps -> {
            ps.setString(1, organizationId);
            ps.setString(2, sessionId);
            ps.executeUpdate();
            return null;
        });
    }

    /** Revokes a live session; empty when it was already revoked or does not exist. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public Optional<SessionRecord> revoke(String sessionId, String reason, Instant now) {
        Optional<SessionRecord> revoked = run("update session set revoked_at = ?, revoked_reason = ? "
                + "where id = ? and revoked_at is null returning " + COLUMNS, ps -> {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, reason);
            ps.setString(3, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        });
        if (revoked.isPresent()) {
            // the family dies with the session; rows go, so a later presentation is simply unknown
            run("delete from refresh_token where session_id = ?", ps -> {
                ps.setString(1, sessionId);
                ps.executeUpdate();
                return null;
            });
        }
        return revoked;
    }

    /** Live sessions of a user (optionally in one organization, or of one client), newest first. */
    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public List<SessionRecord> active(String userId, @Nullable String organizationId, Instant now, int limit) {
        return run("select " + COLUMNS + " from session where user_id = ? and revoked_at is null"
                + " and absolute_expires_at > ?"
                + (organizationId == null ? "" : " and organization_id = ?")
                + " order by created_at desc limit ?", ps -> {
            int i = 1;
            ps.setString(i++, userId);
            ps.setTimestamp(i++, Timestamp.from(now));
            if (organizationId != null) {
                ps.setString(i++, organizationId);
            }
            ps.setInt(i, limit);
            List<SessionRecord> sessions = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sessions.add(read(rs));
                }
            }
            return sessions;
        });
    }

    @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
    public List<String> activeIdsOfClient(String clientId) {
        return run("select id from session where client_id = ? and revoked_at is null", ps -> {
            ps.setString(1, clientId);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    /** Deletes refresh tokens past expiry and sessions whose tokens all expired a while ago. */
    @Transactional
    public int purge(Instant refreshBefore, Instant sessionsBefore) {
        int tokens = run("delete from refresh_token where expires_at < ?", ps -> {
            ps.setTimestamp(1, Timestamp.from(refreshBefore));
            return ps.executeUpdate();
        });
        int sessions = run("delete from session where absolute_expires_at < ? and tokens_expire_by < ?"
                + " or revoked_at < ? and tokens_expire_by < ?", ps -> {
            ps.setTimestamp(1, Timestamp.from(sessionsBefore));
            ps.setTimestamp(2, Timestamp.from(sessionsBefore));
            ps.setTimestamp(3, Timestamp.from(sessionsBefore));
            ps.setTimestamp(4, Timestamp.from(sessionsBefore));
            return ps.executeUpdate();
        });
        return tokens + sessions;
    }

    private interface Statement<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    private <T> T run(String sql, Statement<T> statement) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            return statement.run(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("session store: " + e.getSQLState(), e);
        }
    }

    private static RefreshRow refreshRow(ResultSet rs, boolean withRotatedAt) throws SQLException {
        Timestamp rotated = withRotatedAt ? rs.getTimestamp("rotated_at") : null;
        return new RefreshRow(rs.getString("session_id"), rs.getString("client_id"), scopes(rs.getString("scope")),
                rs.getTimestamp("expires_at").toInstant(), rotated == null ? null : rotated.toInstant());
    }

    static Set<String> scopes(String scope) {
        return scope == null || scope.isBlank() ? Set.of()
                : new LinkedHashSet<>(Arrays.asList(scope.strip().split(" +")));
    }

    private SessionRecord read(ResultSet rs) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new SessionRecord(rs.getString("id"), rs.getString("user_id"), rs.getString("organization_id"),
                rs.getString("client_id"), scopes(rs.getString("scope")),
                List.copyOf(scopes(rs.getString("audience"))), readClaims(rs.getString("claims")),
                rs.getBoolean("platform_admin"), rs.getString("user_agent"), rs.getString("ip_address"),
                rs.getTimestamp("auth_time").toInstant(), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("last_seen_at").toInstant(), rs.getTimestamp("absolute_expires_at").toInstant(),
                rs.getTimestamp("tokens_expire_by").toInstant(), revoked == null ? null : revoked.toInstant(),
                rs.getString("revoked_reason"));
    }

    private String write(Map<String, Object> claims) {
        try {
            return json.writeValueAsString(claims);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> readClaims(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, CLAIMS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
