package dev.gatehouse.tenant.organization;

import dev.gatehouse.tenant.support.Api;
import dev.gatehouse.tenant.support.TenantServers;
import dev.gatehouse.tenant.support.TestIssuer;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Tenant provisioning (seed 002): the first sight of an external org_id creates its tenant exactly once. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvisioningTest implements TenantServers {
    private static final String SERVICE = TestIssuer.get().service();
    private static final String ISSUER = "https://api.workos.com/user_management/client_01";

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    private DataSource dataSource;

    @Inject
    void dataSource(DataSource transactionAware) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(transactionAware);
    }

    private Api api() {
        return new Api(server.getURI(), json);
    }

    private Api.Reply provision(String externalId, String issuer) {
        return api().post("/internal/v1/organizations/provision", SERVICE,
                "{\"externalId\":\"" + externalId + "\",\"issuer\":\"" + issuer + "\"}");
    }

    private long count(String sql, String parameter) throws Exception {
        try (Connection c = dataSource.getConnection(); var s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            var rs = s.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void concurrentProvisioningsOfOneOrgIdMakeOneTenant() throws Exception {
        String externalId = "org_01HWORKOS" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        int callers = 8;
        var start = new CountDownLatch(1);
        List<Future<Api.Reply>> replies = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(callers)) {
            for (int i = 0; i < callers; i++) {
                replies.add(pool.submit(() -> {
                    start.await();
                    return provision(externalId, ISSUER);
                }));
            }
            start.countDown();
        }
        List<Integer> statuses = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (var reply : replies) {
            statuses.add(reply.get().status());
            ids.add(reply.get().string("id"));
        }
        assertThat(statuses).as("one creates, the others find it").containsOnlyOnce(201).containsOnly(201, 200);
        assertThat(ids).containsOnly(ids.get(0));
        assertThat(count("select count(*) from organization where external_id = ?", externalId)).isEqualTo(1);
        assertThat(count("select count(*) from gatehouse_kit.outbox where event_key = ?", ids.get(0))).isEqualTo(1);

        var again = provision(externalId, ISSUER).status(200).map();
        assertThat(again).containsEntry("id", ids.get(0)).containsEntry("externalId", externalId)
                .containsEntry("externalIssuer", ISSUER).containsEntry("displayName", externalId);
        assertThat((String) again.get("slug")).matches("ext-[0-9a-z]{16}");
        // the same org_id from another issuer is another tenant
        assertThat(provision(externalId, "https://other.example.com").status(201).string("id")).isNotEqualTo(ids.get(0));
        // and the tenant is usable at once: a platform admin can read it
        api().get("/api/v1/organizations/" + ids.get(0), TestIssuer.get().platformAdmin()).status(200);
    }

    @Test
    void aFailedProvisioningIsAnErrorNeverASilentSuccess() throws Exception {
        try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("""
                    create or replace function refuse_boom() returns trigger language plpgsql as $$
                    begin
                      if new.external_id = 'org_boom' then raise exception 'disk full (simulated)'; end if;
                      return new;
                    end $$""");
            s.execute("create trigger refuse_boom before insert on organization for each row execute function refuse_boom()");
        }
        try {
            var failed = provision("org_boom", ISSUER).problem(500, "internal");
            assertThat(failed.body()).doesNotContain("disk full").doesNotContain("org_boom");
            assertThat(count("select count(*) from organization where external_id = ?", "org_boom")).isZero();
            assertThat(count("select count(*) from gatehouse_kit.outbox where envelope like ?", "%org_boom%")).isZero();
        } finally {
            try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
                s.execute("drop trigger refuse_boom on organization");
            }
        }
        provision("org_boom", ISSUER).status(201);
    }

    @Test
    void onlyServicesProvisionAndOnlyWellFormedRequests() {
        var api = api();
        api.post("/internal/v1/organizations/provision", null, "{\"externalId\":\"a\",\"issuer\":\"b\"}")
                .problem(401, "unauthorized");
        api.post("/internal/v1/organizations/provision", TestIssuer.get().user("usr_x"),
                "{\"externalId\":\"a\",\"issuer\":\"b\"}").problem(403, "forbidden");
        api.post("/internal/v1/organizations/provision", TestIssuer.get().platformAdmin(),
                "{\"externalId\":\"a\",\"issuer\":\"b\"}").problem(403, "forbidden");
        provision("", ISSUER).problem(400, "validation-failed");
        provision("has space", ISSUER).problem(400, "validation-failed");
        provision("x".repeat(256), ISSUER).problem(400, "validation-failed");
        api.post("/internal/v1/organizations/provision", SERVICE, "{\"externalId\":\"a\"}")
                .problem(400, "validation-failed");
        api.post("/internal/v1/organizations/provision", SERVICE, "[]").problem(400, "malformed-request");
    }
}
