package dev.gatehouse.identity.pages;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The scopes each user granted each third-party client on the consent page (table {@code page_consent}). */
@Singleton
public class ConsentStore {
    private final TransactionOperations<Connection> tx;
    private final Clock clock;

    public ConsentStore(TransactionOperations<Connection> tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    /** The scopes of {@code asked} that the user has not granted the client yet. */
    public List<String> missing(String userId, String clientId, Collection<String> asked) {
        Set<String> granted = granted(userId, clientId);
        return asked.stream().filter(s -> !granted.contains(s)).toList();
    }

    public Set<String> granted(String userId, String clientId) {
        return tx.executeRead(status -> {
            try (var select = status.getConnection().prepareStatement(
                    "select scopes from page_consent where user_id = ? and client_id = ?")) {
                select.setString(1, userId);
                select.setString(2, clientId);
                try (var rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Set.<String>of();
                    }
                    return Set.copyOf(Arrays.asList((String[]) rs.getArray(1).getArray()));
                }
            }
        });
    }

    /** Adds scopes to the user's grant for the client. */
    public void grant(String userId, String clientId, Collection<String> scopes) {
        tx.executeWrite(status -> {
            Connection connection = status.getConnection();
            Set<String> all = new TreeSet<>(scopes);
            try (var select = connection.prepareStatement(
                    "select scopes from page_consent where user_id = ? and client_id = ? for update")) {
                select.setString(1, userId);
                select.setString(2, clientId);
                try (var rs = select.executeQuery()) {
                    if (rs.next()) {
                        all.addAll(Arrays.asList((String[]) rs.getArray(1).getArray()));
                    }
                }
            }
            Array array = connection.createArrayOf("text", all.toArray(String[]::new));
            try (var upsert = connection.prepareStatement("""
                    insert into page_consent (user_id, client_id, scopes, granted_at) values (?, ?, ?, ?)
                    on conflict (user_id, client_id) do update set scopes = excluded.scopes,
                        granted_at = excluded.granted_at""")) {
                upsert.setString(1, userId);
                upsert.setString(2, clientId);
                upsert.setArray(3, array);
                upsert.setTimestamp(4, Timestamp.from(clock.instant()));
                upsert.executeUpdate();
            }
            return null;
        });
    }
}
