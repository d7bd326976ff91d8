package dev.gatehouse.gateway.route;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTableTest {
    private static final RouteTable TABLE = new RouteTable(new GatewayRoutesConfig(
            Map.of("identity", List.of(URI.create("http://identity:8081")),
                    "session", List.of(URI.create("http://session:8082/")),
                    "tenant", List.of(URI.create("http://tenant:8083/base"))),
            Duration.ofSeconds(2), Duration.ofSeconds(30),
            List.of(new GatewayRoutesConfig.Route("/auth/", "identity"),
                    new GatewayRoutesConfig.Route("/api/v1/organizations", "tenant"),
                    new GatewayRoutesConfig.Route("/api/v1/organizations/imports/", "session"))));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/auth/,                                 identity",
            "/auth/login,                            identity",
            "/auth,                                  ",
            "/authx,                                 ",
            "/api/v1/organizations,                  tenant",
            "/api/v1/organizations/,                 tenant",
            "/api/v1/organizations/org_1,            tenant",
            "/api/v1/organizationsX,                 ",
            "/api/v1/organizations/imports/,         session",
            "/api/v1/organizations/imports/7,        session",
            "/api/v1/organizations/imports,          tenant",
            "/internal/v1/organizations/x,           ",
            "/internal,                              ",
            "/api/v1/organizations/../internal/x,    ",
            "/api/v1/organizations/%2E%2E/x,         ",
            "/api/v1/organizations/%zz,              ",
            "'',                                     ",
    })
    void longestMatchingPrefixWinsAndUnsafePathsAreNotRouted(String path, String upstream) {
        assertThat(TABLE.find(path).map(RouteTable.Entry::upstream).orElse(null)).isEqualTo(upstream);
    }

    @ParameterizedTest
    @CsvSource({
            "/auth/login,              ,            http://identity:8081/auth/login",
            "/oauth2/x,                a=1&b=%20,   http://session:8082/oauth2/x?a=1&b=%20",
            "/api/v1/organizations,    ,            http://tenant:8083/base/api/v1/organizations",
    })
    void theTargetIsTheUpstreamBasePlusTheOriginalPathAndQuery(String path, String query, String expected) {
        String upstream = path.startsWith("/auth") ? "identity" : path.startsWith("/oauth2") ? "session" : "tenant";
        URI base = Map.of("identity", URI.create("http://identity:8081"), "session", URI.create("http://session:8082/"),
                "tenant", URI.create("http://tenant:8083/base")).get(upstream);

        URI target = RouteTable.target(base, path, query);

        assertThat(target).hasToString(expected);
    }

    private static GatewayRoute route(String id, String prefix, String pattern, java.util.Set<String> hosts,
                                      java.util.Set<String> methods, String organization) {
        return new GatewayRoute(id, hosts, prefix, pattern, methods, id, List.of(URI.create("http://" + id)),
                Duration.ofSeconds(5), 0, GatewayRoute.Access.PUBLIC, null, null, null, organization, false,
                GatewayRoute.ErrorStyle.PROBLEM, null, null, null);
    }

    private static final RouteTable MATCHER = new RouteTable(List.of(
            route("any", "/api/", null, java.util.Set.of(), java.util.Set.of(), null),
            route("orgs", null, "/api/orgs/{org}/**", java.util.Set.of(), java.util.Set.of(), "org"),
            route("members", null, "/api/orgs/{org}/members/{user}", java.util.Set.of(), java.util.Set.of(), "org"),
            route("reads", "/api/", null, java.util.Set.of(), java.util.Set.of("GET"), null),
            route("tenant-host", "/api/", null, java.util.Set.of("*.tenant.test"), java.util.Set.of(), null)));

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            "api.test,     POST, /api/x,                      any",
            "api.test,     GET,  /api/x,                      reads",
            "a.tenant.test, POST, /api/x,                     tenant-host",
            "tenant.test,  POST, /api/x,                      any",
            "api.test,     POST, /api/orgs/org_1,             orgs",
            "api.test,     POST, /api/orgs/org_1/proxies/7,   orgs",
            "api.test,     GET,  /api/orgs/org_1/members/u_2, members",
            "api.test,     GET,  /api/orgs//members/u_2,      reads",
            "api.test,     GET,  /other,                      ",
    })
    void hostsMethodsAndPatternsPickTheMostSpecificRoute(String host, String method, String path, String id) {
        assertThat(MATCHER.match(host, method, path).map(m -> m.route().id()).orElse(null)).isEqualTo(id);
    }

    @org.junit.jupiter.api.Test
    void patternVariablesAreCapturedAndNameTheOrganization() {
        RouteMatch match = MATCHER.match(null, "GET", "/api/orgs/org_9/members/u_1").orElseThrow();

        assertThat(match.pathVariables()).containsEntry("org", "org_9").containsEntry("user", "u_1");
        assertThat(match.organizationId()).hasValue("org_9");
    }
}
