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
}
