package dev.gatehouse.tenant.rbac;

import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.tenant.support.Api;
import dev.gatehouse.tenant.support.KafkaEvents;
import dev.gatehouse.tenant.support.TenantServers;
import dev.gatehouse.tenant.support.TestIssuer;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what: every admin-API operation for a non-member, viewer, operator, admin and platform admin, with the
 * organization's own membership data deciding (never the token's permissions claim). Then effective permissions,
 * membership changes and their events.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SuppressWarnings("unchecked")
class RbacMatrixTest implements TenantServers {
    private static final TestIssuer ISSUER = TestIssuer.get();
    private static final String PLATFORM = ISSUER.platformAdmin();
    private static final String SERVICE = ISSUER.service();

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    private Api api;
    private String org;
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final Map<String, String> users = new LinkedHashMap<>();

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("gatehouse.test.dns-stub", "true");
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @BeforeAll
    void organizationWithOneMemberPerRole() {
        api = new Api(server.getURI(), json);
        org = api.post("/api/v1/organizations", PLATFORM, "{\"slug\":\"" + unique("rbac-") + "\",\"displayName\":\"R\"}")
                .status(201).string("id");
        for (String role : List.of("viewer", "operator", "admin")) {
            String user = unique("usr_" + role + "_");
            api.put(path("/members/" + user), PLATFORM, "{\"roles\":[\"" + role + "\"]}").status(201);
            users.put(role, user);
            // the token claims every permission there is: tenant-service must not believe it
            tokens.put(role, ISSUER.token(c -> c.subject(user).claim("sid", "ses_1").claim("org_id", org)
                    .claim("permissions", List.of("organization.write", "members.write", "api_keys.write"))));
        }
        tokens.put("non-member", ISSUER.user(unique("usr_outsider_")));
        tokens.put("platform admin", PLATFORM);
    }

    private String path(String rest) {
        return "/api/v1/organizations/" + org + rest;
    }

    /** One admin-API operation; {@code request} prepares whatever it needs (as the platform admin) first. */
    record Op(String name, boolean write, Supplier<String[]> request) {
    }

    private String group() {
        return api.post(path("/groups"), PLATFORM, "{\"name\":\"" + unique("g") + "\",\"roles\":[\"viewer\"]}")
                .status(201).string("id");
    }

    private String member() {
        String user = unique("usr_m_");
        api.put(path("/members/" + user), PLATFORM, "{\"roles\":[\"viewer\"]}").status(201);
        return user;
    }

    private String role() {
        String key = unique("r");
        api.post(path("/roles"), PLATFORM, "{\"key\":\"" + key + "\",\"displayName\":\"R\",\"permissions\":[\"x.read\"]}")
                .status(201);
        return key;
    }

    private String apiKey() {
        return (String) ((Map<?, ?>) api.post(path("/api-keys"), PLATFORM,
                "{\"name\":\"k\",\"groupId\":\"" + group() + "\"}").status(201).map().get("apiKey")).get("id");
    }

    private String invitation() {
        return (String) ((Map<?, ?>) api.post(path("/invitations"), PLATFORM,
                "{\"email\":\"" + unique("a") + "@example.com\"}").status(201).map().get("invitation")).get("id");
    }

    private String domain() {
        String domain = unique("d") + ".example.com";
        api.post(path("/domains"), PLATFORM, "{\"domain\":\"" + domain + "\"}").status(201);
        return domain;
    }

    private static String[] req(String method, String path, String body) {
        return new String[]{method, path, body};
    }

    private List<Op> operations() {
        String viewer = users.get("viewer");
        return List.of(
                new Op("read organization", false, () -> req("GET", path(""), null)),
                new Op("list members", false, () -> req("GET", path("/members"), null)),
                new Op("read member", false, () -> req("GET", path("/members/" + viewer), null)),
                new Op("list roles", false, () -> req("GET", path("/roles"), null)),
                new Op("read role", false, () -> req("GET", path("/roles/viewer"), null)),
                new Op("list groups", false, () -> req("GET", path("/groups"), null)),
                new Op("read group", false, () -> req("GET", path("/groups/" + group()), null)),
                new Op("list group members", false, () -> req("GET", path("/groups/" + group() + "/members"), null)),
                new Op("list API keys", false, () -> req("GET", path("/api-keys"), null)),
                new Op("read API key", false, () -> req("GET", path("/api-keys/" + apiKey()), null)),
                new Op("list invitations", false, () -> req("GET", path("/invitations"), null)),
                new Op("read invitation", false, () -> req("GET", path("/invitations/" + invitation()), null)),
                new Op("list domains", false, () -> req("GET", path("/domains"), null)),
                new Op("update organization", true, () -> req("PATCH", path(""), "{\"displayName\":\"R2\"}")),
                new Op("add member", true, () -> req("PUT", path("/members/" + unique("usr_n_")),
                        "{\"roles\":[\"viewer\"]}")),
                new Op("change member roles", true, () -> req("PUT", path("/members/" + member()),
                        "{\"roles\":[\"operator\"]}")),
                new Op("remove member", true, () -> req("DELETE", path("/members/" + member()), null)),
                new Op("create role", true, () -> req("POST", path("/roles"),
                        "{\"key\":\"" + unique("r") + "\",\"displayName\":\"R\",\"permissions\":[]}")),
                new Op("update role", true, () -> req("PUT", path("/roles/" + role()),
                        "{\"displayName\":\"R\",\"permissions\":[\"y.read\"]}")),
                new Op("delete role", true, () -> req("DELETE", path("/roles/" + role()), null)),
                new Op("create group", true, () -> req("POST", path("/groups"),
                        "{\"name\":\"" + unique("g") + "\",\"roles\":[]}")),
                new Op("update group", true, () -> req("PUT", path("/groups/" + group()),
                        "{\"name\":\"" + unique("g") + "\",\"roles\":[\"operator\"]}")),
                new Op("delete group", true, () -> req("DELETE", path("/groups/" + group()), null)),
                new Op("add group member", true, () -> req("PUT", path("/groups/" + group() + "/members/" + viewer),
                        null)),
                new Op("remove group member", true, () -> {
                    String g = group();
                    api.put(path("/groups/" + g + "/members/" + viewer), PLATFORM, null).status(201);
                    return req("DELETE", path("/groups/" + g + "/members/" + viewer), null);
                }),
                new Op("create API key", true, () -> req("POST", path("/api-keys"),
                        "{\"name\":\"k\",\"groupId\":\"" + group() + "\"}")),
                new Op("revoke API key", true, () -> req("DELETE", path("/api-keys/" + apiKey()), null)),
                new Op("invite", true, () -> req("POST", path("/invitations"),
                        "{\"email\":\"" + unique("b") + "@example.com\",\"role\":\"operator\"}")),
                new Op("resend invitation", true, () -> req("POST", path("/invitations/" + invitation() + "/resend"),
                        null)),
                new Op("revoke invitation", true, () -> req("DELETE", path("/invitations/" + invitation()), null)),
                new Op("claim domain", true, () -> req("POST", path("/domains"),
                        "{\"domain\":\"" + unique("c") + ".example.org\"}")),
                new Op("verify domain", true, () -> req("POST", path("/domains/" + domain() + "/verify"), null)),
                new Op("remove domain", true, () -> req("DELETE", path("/domains/" + domain()), null)),
                new Op("archive organization", true, () -> req("POST", path("/archive"), null)));
    }

    @Test
    @Order(Integer.MAX_VALUE) // it ends by archiving the organization the other tests use
    void everyAdminOperationForEveryRole() {
        var softly = new SoftAssertions();
        for (Op op : operations()) {
            for (var caller : tokens.entrySet()) {
                String[] r = op.request().get();
                Api.Reply reply = api.send(r[0], r[1], caller.getValue(), r[2]);
                String who = caller.getKey();
                String as = op.name() + " as " + who;
                switch (who) {
                    case "non-member" -> softly.assertThat(reply.status()).as(as).isEqualTo(404);
                    case "viewer", "operator" -> softly.assertThat(reply.status()).as(as)
                            .isEqualTo(op.write() ? 403 : 200);
                    default -> softly.assertThat(reply.status()).as(as + ": " + reply.body())
                            // verifying a domain whose TXT record is missing is an allowed 409
                            .isIn(op.name().equals("verify domain") ? List.of(409) : List.of(200, 201, 204));
                }
                if (reply.status() >= 400) {
                    softly.assertThat(reply.headers().firstValue("Content-Type")).as(as)
                            .hasValue("application/problem+json");
                }
            }
        }
        softly.assertAll();
    }

    private Api.Reply permissions(String user) {
        return api.get("/internal/v1/organizations/" + org + "/members/" + user + "/permissions", SERVICE);
    }

    @Test
    void effectivePermissionsCombineDirectRolesGroupRolesAndCustomRoles() {
        String user = member();
        var viewerOnly = permissions(user).status(200).map();
        assertThat(viewerOnly).containsEntry("organizationId", org).containsEntry("userId", user)
                .containsEntry("roles", List.of("viewer"))
                .containsEntry("permissions", List.copyOf(new java.util.TreeSet<>(RbacConfig.DEFAULT_VIEWER)));

        api.post(path("/roles"), PLATFORM, """
                {"key":"auditor","displayName":"Auditor","permissions":["audit_tail.read","reports.read"]}""")
                .status(201);
        String group = api.post(path("/groups"), PLATFORM, "{\"name\":\"auditors\",\"roles\":[\"auditor\"]}")
                .status(201).string("id");
        api.put(path("/groups/" + group + "/members/" + user), PLATFORM, null).status(201);
        var withGroup = permissions(user).status(200).map();
        assertThat(withGroup.get("roles")).isEqualTo(List.of("auditor", "viewer"));
        assertThat((List<Object>) withGroup.get("permissions")).contains("audit_tail.read", "reports.read", "proxies.read")
                .doesNotContain("members.write");

        // a changed role reaches the very next lookup (the cache is dropped on commit)
        api.put(path("/roles/auditor"), PLATFORM, "{\"displayName\":\"Auditor\",\"permissions\":[\"reports.read\"]}")
                .status(200);
        assertThat((List<Object>) permissions(user).map().get("permissions")).contains("reports.read")
                .doesNotContain("audit_tail.read");
        // a role in use cannot be deleted
        api.delete(path("/roles/auditor"), PLATFORM).problem(409, "conflict");
        api.delete(path("/groups/" + group + "/members/" + user), PLATFORM).status(204);
        assertThat(permissions(user).map().get("roles")).isEqualTo(List.of("viewer"));
        // built-in roles are not editable
        api.put(path("/roles/admin"), PLATFORM, "{\"displayName\":\"A\",\"permissions\":[]}").problem(409, "conflict");
        api.post(path("/roles"), PLATFORM, "{\"key\":\"admin\",\"displayName\":\"A\",\"permissions\":[]}")
                .problem(409, "conflict");
        api.post(path("/roles"), PLATFORM, "{\"key\":\"bad\",\"displayName\":\"A\",\"permissions\":[\"Not Valid\"]}")
                .problem(400, "validation-failed");
    }

    @Test
    void thePermissionLookupIsForServicesAndKnowsOnlyMembers() {
        String user = users.get("viewer");
        api.get("/internal/v1/organizations/" + org + "/members/" + user + "/permissions", null)
                .problem(401, "unauthorized");
        api.get("/internal/v1/organizations/" + org + "/members/" + user + "/permissions", tokens.get("admin"))
                .problem(403, "forbidden");
        api.get("/internal/v1/organizations/" + org + "/members/" + user + "/permissions", PLATFORM)
                .problem(403, "forbidden");
        permissions("usr_nobody").problem(404, "not-found");
        api.get("/internal/v1/organizations/org_unknown/members/" + user + "/permissions", SERVICE)
                .problem(404, "not-found");
    }

    @Test
    void removingAMemberPublishesMembershipRemovedAndEndsTheirAccess() {
        String user = member();
        String token = ISSUER.user(user);
        String group = group();
        api.put(path("/groups/" + group + "/members/" + user), PLATFORM, null).status(201);
        api.get(path(""), token).status(200);

        api.delete(path("/members/" + user), tokens.get("admin")).status(204);
        api.delete(path("/members/" + user), tokens.get("admin")).problem(404, "not-found");
        api.get(path(""), token).problem(404, "not-found");
        permissions(user).problem(404, "not-found");
        assertThat(api.get(path("/groups/" + group + "/members"), PLATFORM).data()).isEmpty();

        var events = new KafkaEvents(server.getApplicationContext().getProperty("kafka.bootstrap.servers",
                String.class).orElseThrow(), json).await(Topics.TENANT_MEMBERSHIP, org + ":" + user, 2);
        assertThat(events).extracting(KafkaEvents.Event::type).containsExactly("MembershipAdded", "MembershipRemoved");
        assertThat(events.get(1).payload()).isEqualTo(Map.of("organizationId", org, "userId", user));
        assertThat(events.get(1).envelope()).containsEntry("tenantId", org);
    }

    @Test
    void theLastAdminStays() {
        String solo = unique("usr_solo_");
        String soloOrg = api.post("/api/v1/organizations", ISSUER.user(solo),
                "{\"slug\":\"" + unique("solo-") + "\",\"displayName\":\"S\"}").status(201).string("id");
        String base = "/api/v1/organizations/" + soloOrg + "/members/";
        api.put(base + solo, PLATFORM, "{\"roles\":[\"viewer\"]}").problem(409, "conflict");
        api.delete(base + solo, PLATFORM).problem(409, "conflict");
        String second = unique("usr_second_");
        api.put(base + second, PLATFORM, "{\"roles\":[\"admin\"]}").status(201);
        api.put(base + solo, PLATFORM, "{\"roles\":[\"viewer\"]}").status(200);
    }

    @Test
    void aUsersOrganizationsArePagedForIdentityService() {
        String user = unique("usr_multi_");
        var orgs = new java.util.TreeSet<String>();
        for (int i = 0; i < 3; i++) {
            String id = api.post("/api/v1/organizations", PLATFORM,
                    "{\"slug\":\"" + unique("multi-") + "\",\"displayName\":\"M" + i + "\"}").status(201).string("id");
            api.put("/api/v1/organizations/" + id + "/members/" + user, PLATFORM, "{\"roles\":[\"operator\"]}")
                    .status(201);
            orgs.add(id);
        }
        String base = "/internal/v1/users/" + user + "/organizations";
        var first = api.get(base + "?limit=2", SERVICE).status(200);
        assertThat(first.data()).hasSize(2);
        assertThat(first.data().get(0)).containsKeys("id", "slug", "displayName").containsEntry("roles", List.of("operator"));
        var second = api.get(base + "?limit=2&after=" + first.next(), SERVICE).status(200);
        assertThat(second.data()).hasSize(1);
        assertThat(second.next()).isNull();
        assertThat(java.util.stream.Stream.concat(first.data().stream(), second.data().stream()).map(o -> o.get("id")))
                .containsExactlyElementsOf(orgs);
        api.get(base, ISSUER.user(user)).problem(403, "forbidden");
        assertThat(api.get("/internal/v1/users/usr_nobody/organizations", SERVICE).status(200).data()).isEmpty();
    }

    @Test
    void badMembershipInputIsProblemJson() {
        String user = unique("usr_bad_");
        api.put(path("/members/" + user), PLATFORM, "{\"roles\":[]}").problem(400, "validation-failed");
        api.put(path("/members/" + user), PLATFORM, "{\"roles\":[\"superuser\"]}").problem(400, "validation-failed");
        api.put(path("/members/" + user), PLATFORM, "{\"roles\":\"admin\"}").problem(400, "malformed-request");
        api.put(path("/members/" + user), PLATFORM, "{").problem(400, "malformed-request");
        api.put(path("/members/bad%20id"), PLATFORM, "{\"roles\":[\"viewer\"]}").problem(404, "not-found");
        api.get(path("/members?limit=500"), PLATFORM).problem(400, "validation-failed");
        api.get(path("/members/" + user), PLATFORM).problem(404, "not-found");
    }

    @Test
    void aChangeMadeByAnotherReplicaReachesThisReplicasCache() throws Exception {
        String user = member();
        assertThat(permissions(user).map().get("roles")).isEqualTo(List.of("viewer")); // cached now
        var dataSource = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(
                server.getApplicationContext().getBean(javax.sql.DataSource.class));
        // what another replica's transaction does: change the row and notify, outside this replica's code
        try (var c = dataSource.getConnection(); var s = c.prepareStatement("""
                with changed as (update membership set roles = '{operator}' where organization_id = ? and user_id = ?)
                select pg_notify('gatehouse_tenant_rbac', ?)""")) {
            s.setString(1, org);
            s.setString(2, user);
            s.setString(3, org);
            s.execute();
        }
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (!List.of("operator").equals(permissions(user).map().get("roles")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(permissions(user).map().get("roles")).isEqualTo(List.of("operator"));
    }
}
