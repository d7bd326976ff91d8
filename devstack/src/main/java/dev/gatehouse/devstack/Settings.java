package dev.gatehouse.devstack;

import java.nio.file.Path;

/**
 * What {@link Infra} should run: for each of PostgreSQL, Redis and Kafka either an embedded server on a port (0 = any
 * free port) or an existing server (URL/URI/bootstrap servers non-null). Embedded data goes under {@code dataDir}
 * ({@code postgres/}, {@code kafka/}), server logs under {@code dataDir/logs}.
 *
 * @param dataDir             where embedded servers keep data and logs
 * @param throwAway           true for test servers: durability settings (fsync) off
 * @param postgresPort        embedded PostgreSQL port, 0 for a free one
 * @param postgresUrl         JDBC base URL of an existing server, or null for embedded
 * @param postgresUser        user for the existing server
 * @param postgresPassword    password for the existing server
 * @param redisPort           embedded Redis port, 0 for a free one
 * @param redisUri            URI of an existing Redis, or null for embedded
 * @param kafkaPort           embedded Kafka client port, 0 for a free one
 * @param kafkaControllerPort embedded Kafka controller port, 0 for a free one
 * @param kafkaBootstrap      bootstrap servers of an existing Kafka, or null for embedded
 */
public record Settings(Path dataDir, boolean throwAway,
                       int postgresPort, String postgresUrl, String postgresUser, String postgresPassword,
                       int redisPort, String redisUri,
                       int kafkaPort, int kafkaControllerPort, String kafkaBootstrap) {

    /** Everything embedded, on free ports, under {@code dataDir}. */
    public static Settings embedded(Path dataDir, boolean throwAway) {
        return new Settings(dataDir, throwAway, 0, null, null, null, 0, null, 0, 0, null);
    }

    public boolean embeddedPostgres() {
        return postgresUrl == null;
    }

    public boolean embeddedRedis() {
        return redisUri == null;
    }

    public boolean embeddedKafka() {
        return kafkaBootstrap == null;
    }

    /** The same settings with every port 0 replaced by a free port. */
    public Settings withFreePorts() {
        int pg = postgresPort > 0 ? postgresPort : Ports.freePort();
        int redis = redisPort > 0 ? redisPort : Ports.freePort();
        int kafka = kafkaPort > 0 ? kafkaPort : Ports.freePort();
        int controller = kafkaControllerPort;
        while (controller <= 0 || controller == kafka || controller == pg || controller == redis) {
            controller = Ports.freePort();
        }
        return new Settings(dataDir, throwAway, pg, postgresUrl, postgresUser, postgresPassword, redis, redisUri,
                kafka, controller, kafkaBootstrap);
    }
}
