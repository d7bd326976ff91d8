package dev.gatehouse.identity.upstream;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

/** Which Gatehouse user an upstream account (issuer, subject) signs in as. */
@Singleton
public class UpstreamIdentityLinks {
    private final DataSource dataSource;
    private final Clock clock;

    public UpstreamIdentityLinks(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The linked user's id; touches {@code last_used_at}. */
    @Transactional
    public Optional<String> userOf(String issuer, String subject) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "update upstream_identity set last_used_at = ? where issuer = ? and subject = ? returning user_id")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setString(2, issuer);
            s.setString(3, subject);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read an upstream identity", e);
        }
    }

    /** Links the upstream account to the user (first link wins: a concurrent link of the same account is kept). */
    @Transactional
    public void link(UpstreamIdentity identity, String userId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                insert into upstream_identity (issuer, subject, provider, user_id, email, email_verified, created_at,
                    last_used_at) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (issuer, subject) do nothing""")) {
            Timestamp now = Timestamp.from(clock.instant());
            s.setString(1, identity.issuer());
            s.setString(2, identity.subject());
            s.setString(3, identity.provider());
            s.setString(4, userId);
            s.setString(5, identity.email());
            s.setBoolean(6, identity.emailVerified());
            s.setTimestamp(7, now);
            s.setTimestamp(8, now);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot link an upstream identity", e);
        }
    }

    /**
     * Drops the user's links made with an unverified address: called when the address is proven by someone else,
     * so whoever claimed it without proof can no longer sign in to the account.
     */
    @Transactional
    public int dropUnverified(String userId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "delete from upstream_identity where user_id = ? and not email_verified")) {
            s.setString(1, userId);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot unlink upstream identities", e);
        }
    }
}
