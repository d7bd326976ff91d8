package dev.gatehouse.tenant.bootstrap;

import dev.gatehouse.devstack.TestServers;
import dev.gatehouse.kit.app.GatehouseApplication;
import dev.gatehouse.tenant.support.TestIssuer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The bootstrap file's organizations, roles, groups and memberships: applied idempotently, read strictly. */
class TenantBootstrapTest {
    private static final String FILE = """
            version: 1
            clients: []
            organizations:
              - slug: acme
                displayName: Acme
                primaryColor: "#112233"
            roles:
              - organization: acme
                key: auditor
                displayName: Auditor
                permissions: [audit_tail.read]
            groups:
              - organization: acme
                name: ci-bots
                roles: [auditor]
                rateLimitRequests: 100
                rateLimitWindowSeconds: 60
            memberships:
              - organization: acme
                userId: usr_alice
                roles: [admin]
                groups: [ci-bots]
            """;

    @Test
    void theDeclaredTenantIsCreatedOnceAndLeftAloneAfterwards(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bootstrap.yml");
        Files.writeString(file, FILE);
        Map<String, Object> properties = new HashMap<>(TestServers.get().micronautProperties("tenant-service"));
        properties.putAll(TestIssuer.get().properties());
        properties.put("gatehouse.bootstrap.file", file.toString());

        List<String> first = snapshot(properties);
        assertThat(first).contains("organization acme Acme #112233", "role auditor [audit_tail.read]",
                "group ci-bots [auditor] 100/60/100", "member usr_alice [admin]", "group member usr_alice",
                "events 2");
        // a second start (every replica, every restart) changes nothing, not even updated_at, and records no event
        assertThat(snapshot(properties)).isEqualTo(first);

        // a changed declaration is applied, with its event
        Files.writeString(file, FILE.replace("displayName: Acme", "displayName: Acme Corp"));
        assertThat(snapshot(properties)).contains("organization acme Acme Corp #112233", "events 3");
    }

    @Test
    void aBadFileStopsStartupNamingEachProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bootstrap.yml");
        Files.writeString(file, """
                version: 1
                organizations:
                  - slug: Bad_Slug
                    displayName: X
                    colour: red
                memberships:
                  - organization: acme
                    roles: [admin]
                """);
        Map<String, Object> properties = new HashMap<>(TestServers.get().micronautProperties("tenant-service"));
        properties.putAll(TestIssuer.get().properties());
        properties.put("gatehouse.bootstrap.file", file.toString());
        assertThat(GatehouseApplication.configurationProblems(properties))
                .anySatisfy(line -> assertThat(line).contains("organizations[0].slug"))
                .anySatisfy(line -> assertThat(line).contains("organizations[0]: unknown key 'colour'"));

        Files.writeString(file, """
                version: 1
                memberships:
                  - organization: nowhere
                    userId: usr_bob
                    roles: [admin]
                """);
        assertThat(GatehouseApplication.configurationProblems(properties))
                .anySatisfy(line -> assertThat(line).contains("no organization with slug 'nowhere'"));
    }

    /** Starts tenant-service's context (no HTTP) with the file and describes what the database then holds. */
    private static List<String> snapshot(Map<String, Object> properties) throws Exception {
        try (ApplicationContext context = ApplicationContext.run(properties)) {
            DataSource dataSource = DelegatingDataSource.unwrapDataSource(context.getBean(DataSource.class));
            List<String> lines = new ArrayList<>();
            try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
                var rs = s.executeQuery("select slug, display_name, primary_color, updated_at from organization");
                while (rs.next()) {
                    lines.add("organization " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                    lines.add("updated " + rs.getTimestamp(4));
                }
                rs = s.executeQuery("select key, permissions, updated_at from role");
                while (rs.next()) {
                    lines.add("role " + rs.getString(1) + " " + List.of((Object[]) rs.getArray(2).getArray()));
                    lines.add("updated " + rs.getTimestamp(3));
                }
                rs = s.executeQuery("""
                        select name, roles, rate_limit_requests, rate_limit_window_seconds, rate_limit_burst, updated_at
                        from user_group""");
                while (rs.next()) {
                    lines.add("group " + rs.getString(1) + " " + List.of((Object[]) rs.getArray(2).getArray()) + " "
                            + rs.getInt(3) + "/" + rs.getInt(4) + "/" + rs.getInt(5));
                    lines.add("updated " + rs.getTimestamp(6));
                }
                rs = s.executeQuery("select user_id, roles, updated_at from membership");
                while (rs.next()) {
                    lines.add("member " + rs.getString(1) + " " + List.of((Object[]) rs.getArray(2).getArray()));
                    lines.add("updated " + rs.getTimestamp(3));
                }
                rs = s.executeQuery("select user_id from group_member");
                while (rs.next()) {
                    lines.add("group member " + rs.getString(1));
                }
                rs = s.executeQuery("select count(*) from gatehouse_kit.outbox");
                rs.next();
                lines.add("events " + rs.getInt(1));
            }
            return lines;
        }
    }
}
