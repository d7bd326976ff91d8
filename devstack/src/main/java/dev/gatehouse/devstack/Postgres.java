package dev.gatehouse.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server the services and tests can create databases on: either a real PostgreSQL 17 started from the
 * zonky binaries (no Docker, no system install; works as root through {@code unshare}), or an existing server given
 * by a JDBC URL.
 *
 * <p>Embedded servers listen on 127.0.0.1 only, use trust authentication (user {@code postgres}; any password is
 * accepted) and keep their data directory between runs, so {@code ./gatehouse dev} restarts with its data.
 */
public final class Postgres implements AutoCloseable {

    /** The password reported for embedded servers; trust authentication ignores it, but clients want one. */
    public static final String EMBEDDED_PASSWORD = "postgres";
    public static final String EMBEDDED_USER = "postgres";

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String adminDatabase;
    private final String query;
    private final String user;
    private final String password;

    private Postgres(EmbeddedPostgres embedded, String host, int port, String adminDatabase, String query,
                     String user, String password) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.adminDatabase = adminDatabase;
        this.query = query;
        this.user = user;
        this.password = password;
    }

    /**
     * Starts an embedded server on 127.0.0.1:{@code port} with its data in {@code dataDir} (initialised on first use,
     * reused afterwards). Server output goes to {@code logFile}. {@code throwAway} turns off fsync and friends: right
     * for test servers whose data dies with the JVM, wrong for the dev platform whose data should survive a crash.
     */
    public static Postgres startEmbedded(Path dataDir, int port, Path logFile, boolean throwAway) throws IOException {
        Files.createDirectories(dataDir);
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "300");
        if (throwAway) {
            builder.setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off");
        }
        EmbeddedPostgres pg = builder
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        return new Postgres(pg, "127.0.0.1", pg.getPort(), "postgres", "", EMBEDDED_USER, EMBEDDED_PASSWORD);
    }

    /**
     * Uses an existing server. {@code jdbcBaseUrl} points at a database the user can connect to and run
     * {@code CREATE DATABASE} from, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}. Checks the connection.
     */
    public static Postgres attach(String jdbcBaseUrl, String user, String password) {
        if (jdbcBaseUrl == null || !jdbcBaseUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (want jdbc:postgresql://host:port/db): "
                    + jdbcBaseUrl);
        }
        URI uri = URI.create(jdbcBaseUrl.substring("jdbc:".length()));
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        Postgres pg = new Postgres(null, uri.getHost(), port, db, query, user == null ? "" : user,
                password == null ? "" : password);
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("select 1");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to PostgreSQL at " + jdbcBaseUrl + " as " + user + ": "
                    + e.getMessage(), e);
        }
        return pg;
    }

    /** JDBC URL of database {@code db} on this server. */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db + query;
    }

    /** JDBC URL of the database used for administration ({@code postgres} unless attached elsewhere). */
    public String baseJdbcUrl() {
        return jdbcUrl(adminDatabase);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Opens a connection to database {@code db} (caller closes it). */
    public Connection connect(String db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(db), props);
    }

    /**
     * Creates database {@code name} unless it exists. Names are restricted to lower case letters, digits and
     * underscores (they are spliced into SQL). Returns true when it was created now.
     */
    public boolean createDatabaseIfMissing(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid database name (want [a-z_][a-z0-9_]*, max 63): " + name);
        }
        try (Connection c = connect(adminDatabase)) {
            try (PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("create database \"" + name + "\"");
                return true;
            } catch (SQLException e) {
                if ("42P04".equals(e.getSQLState())) { // duplicate_database: created concurrently
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + baseJdbcUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Drops database {@code name} if it exists, disconnecting its clients. */
    public void dropDatabaseIfExists(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid database name: " + name);
        }
        try (Connection c = connect(adminDatabase); Statement s = c.createStatement()) {
            s.execute("drop database if exists \"" + name + "\" with (force)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + name + ": " + e.getMessage(), e);
        }
    }

    /** Stops the embedded server (fast shutdown); does nothing for an attached one. */
    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }

    @Override
    public String toString() {
        return (embedded != null ? "embedded " : "existing ") + "PostgreSQL " + host + ":" + port;
    }
}
