package dev.gatehouse.identity.vault;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The token vault: a user's upstream access and refresh tokens, sealed at rest ({@link VaultCipher}), and a fresh
 * access token on demand. When the stored access token has expired, exactly one caller refreshes it at a time, across
 * replicas too: the refresh happens under the row's lock ({@code select ... for update}), so concurrent callers wait
 * for it and then find the new token instead of spending the refresh token again.
 */
@Singleton
public class TokenVault {
    private static final Logger LOG = LoggerFactory.getLogger(TokenVault.class);
    private final DataSource dataSource;
    private final VaultCipher cipher;
    private final UpstreamRefresher refresher;
    private final VaultConfig config;
    private final Clock clock;

    public TokenVault(DataSource dataSource, VaultCipher cipher, UpstreamRefresher refresher, VaultConfig config,
                      Clock clock) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.cipher = cipher;
        this.refresher = refresher;
        this.config = config;
        this.clock = clock;
    }

    /** Stores the tokens of a sign-in. A null refresh token keeps the one already stored (providers send it once). */
    public void store(String userId, String provider, StoredTokens tokens) {
        Instant now = clock.instant();
        String sql = """
                insert into upstream_token (user_id, provider, access_token, refresh_token, expires_at, scopes,
                                            created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (user_id, provider) do update set
                    access_token = excluded.access_token,
                    refresh_token = coalesce(excluded.refresh_token, upstream_token.refresh_token),
                    expires_at = excluded.expires_at,
                    scopes = excluded.scopes,
                    updated_at = excluded.updated_at""";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, userId);
            statement.setString(2, provider);
            statement.setString(3, cipher.seal(tokens.accessToken(), context(userId, provider, "access")));
            statement.setString(4, tokens.refreshToken() == null ? null
                    : cipher.seal(tokens.refreshToken(), context(userId, provider, "refresh")));
            statement.setTimestamp(5, tokens.expiresAt() == null ? null : Timestamp.from(tokens.expiresAt()));
            statement.setString(6, String.join(" ", tokens.scopes()));
            statement.setTimestamp(7, Timestamp.from(now));
            statement.setTimestamp(8, Timestamp.from(now));
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("storing upstream tokens failed", e);
        }
    }

    /** Forgets the user's tokens for the provider; whether there were any. */
    public boolean delete(String userId, String provider) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "delete from upstream_token where user_id = ? and provider = ?")) {
            statement.setString(1, userId);
            statement.setString(2, provider);
            return statement.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("deleting upstream tokens failed", e);
        }
    }

    /** The stored tokens in the clear, without refreshing (empty when none, or when they no longer open). */
    public Optional<StoredTokens> peek(String userId, String provider) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "select access_token, refresh_token, expires_at, scopes from upstream_token "
                             + "where user_id = ? and provider = ?")) {
            statement.setString(1, userId);
            statement.setString(2, provider);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? open(userId, provider, rows) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading upstream tokens failed", e);
        }
    }

    /**
     * A usable access token: the stored one while it is valid for longer than the refresh skew, otherwise (or always,
     * with {@code force}) a refreshed one.
     */
    public FreshToken fresh(String userId, String provider, boolean force) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                FreshToken result = freshLocked(connection, userId, provider, force);
                connection.commit();
                return result;
            } catch (RuntimeException | SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("refreshing upstream tokens failed", e);
        }
    }

    private FreshToken freshLocked(Connection connection, String userId, String provider, boolean force)
            throws SQLException {
        StoredTokens tokens;
        try (PreparedStatement statement = connection.prepareStatement(
                "select access_token, refresh_token, expires_at, scopes from upstream_token "
                        + "where user_id = ? and provider = ? for update")) {
            statement.setString(1, userId);
            statement.setString(2, provider);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return new FreshToken.NotFound();
                }
                Optional<StoredTokens> opened = open(userId, provider, rows);
                if (opened.isEmpty()) {
                    return new FreshToken.NotFound();
                }
                tokens = opened.get();
            }
        }
        Instant now = clock.instant();
        boolean valid = tokens.expiresAt() == null || tokens.expiresAt().isAfter(now.plus(config.refreshSkew()));
        if (valid && !force) {
            return new FreshToken.Fresh(tokens.accessToken(), tokens.expiresAt(), tokens.scopes(), false);
        }
        if (tokens.refreshToken() == null) {
            return new FreshToken.NoRefreshToken();
        }
        UpstreamRefresher.Outcome outcome = refresher.refresh(provider, tokens.refreshToken());
        return switch (outcome) {
            case UpstreamRefresher.Rejected rejected -> {
                LOG.info("upstream refresh refused: user={} provider={} detail={}", userId, provider, rejected.detail());
                yield new FreshToken.RefreshFailed(rejected.detail(), false);
            }
            case UpstreamRefresher.Unavailable unavailable -> {
                LOG.warn("upstream refresh failed: user={} provider={} detail={}", userId, provider,
                        unavailable.detail());
                yield new FreshToken.RefreshFailed(unavailable.detail(), true);
            }
            case UpstreamRefresher.Refreshed refreshed -> {
                Instant expiresAt = refreshed.expiresInSeconds() == null ? null
                        : now.plusSeconds(refreshed.expiresInSeconds());
                List<String> scopes = refreshed.scope() == null || refreshed.scope().isBlank() ? tokens.scopes()
                        : Arrays.asList(refreshed.scope().trim().split("\\s+"));
                String refreshToken = refreshed.refreshToken() == null ? tokens.refreshToken()
                        : refreshed.refreshToken();
                try (PreparedStatement update = connection.prepareStatement("""
                        update upstream_token set access_token = ?, refresh_token = ?, expires_at = ?, scopes = ?,
                                                  updated_at = ?
                        where user_id = ? and provider = ?""")) {
                    update.setString(1, cipher.seal(refreshed.accessToken(), context(userId, provider, "access")));
                    update.setString(2, cipher.seal(refreshToken, context(userId, provider, "refresh")));
                    update.setTimestamp(3, expiresAt == null ? null : Timestamp.from(expiresAt));
                    update.setString(4, String.join(" ", scopes));
                    update.setTimestamp(5, Timestamp.from(now));
                    update.setString(6, userId);
                    update.setString(7, provider);
                    update.executeUpdate();
                }
                yield new FreshToken.Fresh(refreshed.accessToken(), expiresAt, scopes, true);
            }
        };
    }

    private Optional<StoredTokens> open(String userId, String provider, ResultSet rows) throws SQLException {
        Optional<String> access = cipher.open(rows.getString(1), context(userId, provider, "access"));
        String sealedRefresh = rows.getString(2);
        Optional<String> refresh = sealedRefresh == null ? Optional.empty()
                : cipher.open(sealedRefresh, context(userId, provider, "refresh"));
        if (access.isEmpty() || (sealedRefresh != null && refresh.isEmpty())) {
            LOG.error("vault value does not open (unknown key id or tampered): user={} provider={}", userId, provider);
            return Optional.empty();
        }
        Timestamp expires = rows.getTimestamp(3);
        String scopes = rows.getString(4);
        return Optional.of(new StoredTokens(access.get(), refresh.orElse(null),
                expires == null ? null : expires.toInstant(),
                scopes == null || scopes.isBlank() ? List.of() : Arrays.asList(scopes.split(" "))));
    }

    static String context(String userId, String provider, String field) {
        return userId + "|" + provider + "|" + field;
    }

    /** Re-seals the values of one row with the active key (after a rotation); whether the row existed. */
    public boolean reseal(String userId, String provider) {
        Optional<StoredTokens> tokens = peek(userId, provider);
        tokens.ifPresent(value -> store(userId, provider, value));
        return tokens.isPresent();
    }
}
