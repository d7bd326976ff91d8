package dev.gatehouse.session.keys;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC on {@code signing_key}, always on the caller's connection (inside its transaction and lock). */
@Singleton
class SigningKeyRepository {
    /** Advisory lock id for creating, rotating and deleting keys ("gatekeys"). */
    private static final long KEYS_LOCK = 0x6761_7465_6b65_7973L;

    /** Waits for the key lock until the transaction ends: replicas change keys one at a time. */
    void lock(Connection connection) throws SQLException {
        try (var lock = connection.prepareStatement("select pg_advisory_xact_lock(?)")) {
            lock.setLong(1, KEYS_LOCK);
            lock.execute();
        }
    }

    List<StoredKey> all(Connection connection) throws SQLException {
        try (var select = connection.prepareStatement("""
                select kid, algorithm, public_jwk::text, private_key_ciphertext, kek_id, created_at, activates_at,
                       retires_at, expires_at
                from signing_key order by activates_at, kid""");
             ResultSet rs = select.executeQuery()) {
            var keys = new ArrayList<StoredKey>();
            while (rs.next()) {
                keys.add(new StoredKey(rs.getString(1), SigningAlgorithm.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getBytes(4), rs.getString(5), instant(rs, 6), instant(rs, 7), instant(rs, 8),
                        instant(rs, 9)));
            }
            return keys;
        }
    }

    void insert(Connection connection, StoredKey key) throws SQLException {
        try (var insert = connection.prepareStatement("""
                insert into signing_key (kid, algorithm, public_jwk, private_key_ciphertext, kek_id, created_at,
                                         activates_at, retires_at, expires_at)
                values (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, key.kid());
            insert.setString(2, key.algorithm().name());
            insert.setString(3, key.publicJwk());
            insert.setBytes(4, key.ciphertext());
            insert.setString(5, key.kekId());
            insert.setTimestamp(6, timestamp(key.createdAt()));
            insert.setTimestamp(7, timestamp(key.activatesAt()));
            insert.setTimestamp(8, timestamp(key.retiresAt()));
            insert.setTimestamp(9, timestamp(key.expiresAt()));
            insert.executeUpdate();
        }
    }

    /** Retires every key that has not been retired yet and activates before {@code retiresAt}. */
    int retireAllBefore(Connection connection, Instant retiresAt, Instant expiresAt) throws SQLException {
        try (var update = connection.prepareStatement("""
                update signing_key set retires_at = ?, expires_at = ?
                where retires_at is null and activates_at < ?""")) {
            update.setTimestamp(1, timestamp(retiresAt));
            update.setTimestamp(2, timestamp(expiresAt));
            update.setTimestamp(3, timestamp(retiresAt));
            return update.executeUpdate();
        }
    }

    int deleteExpired(Connection connection, Instant now) throws SQLException {
        try (var delete = connection.prepareStatement("delete from signing_key where expires_at <= ?")) {
            delete.setTimestamp(1, timestamp(now));
            return delete.executeUpdate();
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
