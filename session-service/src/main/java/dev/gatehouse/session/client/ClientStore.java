package dev.gatehouse.session.client;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code oauth_client} table. Callers go through {@link ClientRegistry}, which caches reads. */
@Singleton
public class ClientStore {
    private static final String COLUMNS = """
            client_id, client_type, display_name, secret_hash, previous_secret_hash, previous_secret_expires_at,
            redirect_uris, post_logout_redirect_uris, grant_types, scopes, audiences, resource_audience,
            access_token_ttl_seconds, refresh_idle_ttl_seconds, refresh_absolute_ttl_seconds,
            refresh_without_offline_access, platform_admin, source, created_at, updated_at""";
    private final DataSource dataSource;

    public ClientStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(readOnly = true)
    public Optional<OAuthClient> find(String clientId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("select " + COLUMNS + " from oauth_client where client_id = ?")) {
            select.setString(1, clientId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read client", e);
        }
    }

    /** A page of clients ordered by id, starting after {@code after} (exclusive). */
    @Transactional(readOnly = true)
    public List<OAuthClient> list(String after, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("select " + COLUMNS
                     + " from oauth_client where client_id > ? order by client_id limit ?")) {
            select.setString(1, after == null ? "" : after);
            select.setInt(2, limit);
            List<OAuthClient> page = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    page.add(read(rs));
                }
            }
            return page;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list clients", e);
        }
    }

    /** Inserts {@code client}; false when the id is taken. */
    @Transactional
    public boolean insert(OAuthClient client) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("insert into oauth_client (" + COLUMNS + ") values "
                     + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (client_id) do nothing")) {
            bind(c, insert, client);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot insert client", e);
        }
    }

    /** Replaces every column of an existing client; false when it does not exist. */
    @Transactional
    public boolean update(OAuthClient client) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("""
                     update oauth_client set client_id = ?, client_type = ?, display_name = ?, secret_hash = ?,
                       previous_secret_hash = ?, previous_secret_expires_at = ?, redirect_uris = ?,
                       post_logout_redirect_uris = ?, grant_types = ?, scopes = ?, audiences = ?, resource_audience = ?,
                       access_token_ttl_seconds = ?, refresh_idle_ttl_seconds = ?, refresh_absolute_ttl_seconds = ?,
                       refresh_without_offline_access = ?, platform_admin = ?, source = ?, created_at = ?,
                       updated_at = ?
                     where client_id = ?""")) {
            bind(c, update, client);
            update.setString(21, client.clientId());
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update client", e);
        }
    }

    @Transactional
    public boolean delete(String clientId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement delete = c.prepareStatement("delete from oauth_client where client_id = ?")) {
            delete.setString(1, clientId);
            return delete.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete client", e);
        }
    }

    private static void bind(Connection c, PreparedStatement s, OAuthClient client) throws SQLException {
        s.setString(1, client.clientId());
        s.setString(2, client.type().wireName());
        s.setString(3, client.displayName());
        s.setBytes(4, client.secretHash());
        s.setBytes(5, client.previousSecretHash());
        s.setTimestamp(6, client.previousSecretExpiresAt() == null ? null : Timestamp.from(client.previousSecretExpiresAt()));
        s.setArray(7, textArray(c, client.redirectUris()));
        s.setArray(8, textArray(c, client.postLogoutRedirectUris()));
        s.setArray(9, textArray(c, client.grantTypes().stream().map(GrantType::wireName).sorted().toList()));
        s.setArray(10, textArray(c, client.scopes().stream().sorted().toList()));
        s.setArray(11, textArray(c, client.audiences()));
        s.setString(12, client.resourceAudience());
        s.setInt(13, Math.toIntExact(client.accessTokenTtl().toSeconds()));
        s.setInt(14, Math.toIntExact(client.refreshIdleTtl().toSeconds()));
        s.setInt(15, Math.toIntExact(client.refreshAbsoluteTtl().toSeconds()));
        s.setBoolean(16, client.refreshWithoutOfflineAccess());
        s.setBoolean(17, client.platformAdmin());
        s.setString(18, client.source());
        s.setTimestamp(19, Timestamp.from(client.createdAt()));
        s.setTimestamp(20, Timestamp.from(client.updatedAt()));
    }

    private static Array textArray(Connection c, List<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray(String[]::new));
    }

    private static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static OAuthClient read(ResultSet rs) throws SQLException {
        Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
        for (String g : strings(rs, "grant_types")) {
            GrantType.fromWire(g).ifPresent(grants::add);
        }
        Timestamp previousExpiry = rs.getTimestamp("previous_secret_expires_at");
        return new OAuthClient(
                rs.getString("client_id"),
                ClientType.valueOf(rs.getString("client_type").toUpperCase(java.util.Locale.ROOT)),
                rs.getString("display_name"),
                rs.getBytes("secret_hash"),
                rs.getBytes("previous_secret_hash"),
                previousExpiry == null ? null : previousExpiry.toInstant(),
                strings(rs, "redirect_uris"),
                strings(rs, "post_logout_redirect_uris"),
                grants,
                new LinkedHashSet<>(strings(rs, "scopes")),
                strings(rs, "audiences"),
                rs.getString("resource_audience"),
                Duration.ofSeconds(rs.getInt("access_token_ttl_seconds")),
                Duration.ofSeconds(rs.getInt("refresh_idle_ttl_seconds")),
                Duration.ofSeconds(rs.getInt("refresh_absolute_ttl_seconds")),
                rs.getBoolean("refresh_without_offline_access"),
                rs.getBoolean("platform_admin"),
                rs.getString("source"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

}
