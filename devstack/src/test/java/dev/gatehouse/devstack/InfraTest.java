package dev.gatehouse.devstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded servers really start and really serve: SQL on PostgreSQL, PING on Redis, a Kafka ApiVersions round trip
 * (raw sockets: no Kafka client on this classpath), and a Kafka stop/restart on the same port and data directory.
 */
class InfraTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void embeddedServersStartServeAndKafkaRestarts(@TempDir Path dir) throws Exception {
        try (Infra infra = Infra.start(Settings.embedded(dir, true))) {
            Postgres pg = infra.postgres();
            assertTrue(pg.isEmbedded());
            assertTrue(pg.createDatabaseIfMissing("devstack_check"));
            assertFalse(pg.createDatabaseIfMissing("devstack_check"), "second create is a no-op");
            try (Connection c = pg.connect("devstack_check"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select 1")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }

            assertEquals("+PONG", redisPing(infra.redis().port()));

            KafkaBroker kafka = infra.kafka();
            int port = kafka.port();
            assertEquals("127.0.0.1:" + port, kafka.bootstrapServers());
            assertTrue(Ports.isOpen("127.0.0.1", port));
            assertApiVersionsAnswered(port);
            String clusterId = Files.readString(kafka.dataDir().resolve("cluster.id")).trim();

            kafka.stop();
            assertFalse(kafka.isRunning());
            assertFalse(Ports.isOpen("127.0.0.1", port), "port closed while stopped");

            kafka.restart();
            assertTrue(kafka.isRunning());
            assertEquals(port, kafka.port());
            assertApiVersionsAnswered(port);
            assertEquals(clusterId, Files.readString(kafka.dataDir().resolve("cluster.id")).trim(),
                    "restart reuses the formatted storage");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void testServersGiveEachCallAFreshDatabase() throws Exception {
        TestServers servers = TestServers.get();
        Map<String, Object> a = servers.micronautProperties("identity-service");
        Map<String, Object> b = servers.micronautProperties("identity-service");
        assertEquals(java.util.Set.of("datasources.default.url", "datasources.default.username",
                "datasources.default.password", "datasources.default.driver-class-name", "redis.uri",
                "kafka.bootstrap.servers"), a.keySet());
        assertEquals("org.postgresql.Driver", a.get("datasources.default.driver-class-name"));
        String url = (String) a.get("datasources.default.url");
        assertTrue(url.matches("jdbc:postgresql://.+/identity_service_[a-z]{8}(\\?.*)?"), url);
        assertFalse(url.equals(b.get("datasources.default.url")));
        try (Connection c = java.sql.DriverManager.getConnection(url, (String) a.get("datasources.default.username"),
                (String) a.get("datasources.default.password")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select current_database()")) {
            assertTrue(rs.next());
            assertTrue(url.contains("/" + rs.getString(1)));
        }
        String redis = (String) a.get("redis.uri");
        assertEquals("+PONG", redisPing(Integer.parseInt(redis.substring(redis.lastIndexOf(':') + 1))));
        String bootstrap = (String) a.get("kafka.bootstrap.servers");
        assertApiVersionsAnswered(Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1)));
    }

    private static String redisPing(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder sb = new StringBuilder();
            int ch;
            while ((ch = in.read()) != -1 && ch != '\r') {
                sb.append((char) ch);
            }
            return sb.toString();
        }
    }

    /** Sends ApiVersions v0 (api key 18) and checks the broker answers with the same correlation id and no error. */
    private static void assertApiVersionsAnswered(int port) throws IOException {
        byte[] clientId = "devstack-test".getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(2 + 2 + 4 + 2 + clientId.length);
            out.writeShort(18);     // ApiVersions
            out.writeShort(0);      // version 0
            out.writeInt(4242);     // correlation id
            out.writeShort(clientId.length);
            out.write(clientId);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            assertTrue(size >= 6, "response size " + size);
            assertEquals(4242, in.readInt(), "correlation id");
            assertEquals(0, in.readShort(), "error code");
        }
    }
}
