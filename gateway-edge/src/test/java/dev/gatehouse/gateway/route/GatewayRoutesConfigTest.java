package dev.gatehouse.gateway.route;

import dev.gatehouse.kit.app.GatehouseApplication;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The route table is checked when the context starts; a bad entry fails startup naming its key. */
class GatewayRoutesConfigTest {

    private static Map<String, Object> valid() {
        var props = new HashMap<String, Object>();
        props.put("gatehouse.gateway.upstreams.identity", "http://identity:8081");
        props.put("gatehouse.gateway.upstreams.session", "http://session:8082");
        props.put("gatehouse.gateway.upstreams.tenant", "https://tenant.internal:8443");
        return props;
    }

    private static Throwable startFailure(Map<String, Object> props) {
        Throwable failure = catchThrowable(() -> {
            try (var ignored = ApplicationContext.run(props)) {
                // started: no failure
            }
        });
        assertThat(failure).as("startup must fail").isNotNull();
        return failure;
    }

    @Test
    void defaultRouteTableBindsFromApplicationYml() {
        try (var context = ApplicationContext.run(valid())) {
            GatewayRoutesConfig config = context.getBean(GatewayRoutesConfig.class);
            assertThat(config.upstreams()).containsEntry("tenant", List.of(URI.create("https://tenant.internal:8443")));
            assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(config.routes()).containsExactly(
                    new GatewayRoutesConfig.Route("/auth/", "identity"),
                    new GatewayRoutesConfig.Route("/api/v1/auth/", "identity"),
                    new GatewayRoutesConfig.Route("/api/v1/oauth/", "identity"),
                    new GatewayRoutesConfig.Route("/api/v1/users", "identity"),
                    new GatewayRoutesConfig.Route("/oauth2/", "session"),
                    new GatewayRoutesConfig.Route("/.well-known/", "session"),
                    new GatewayRoutesConfig.Route("/api/v1/sessions", "session"),
                    new GatewayRoutesConfig.Route("/api/v1/clients", "session"),
                    new GatewayRoutesConfig.Route("/api/v1/organizations", "tenant"),
                    new GatewayRoutesConfig.Route("/api/v1/invitations", "tenant"),
                    new GatewayRoutesConfig.Route("/login", "identity"),
                    new GatewayRoutesConfig.Route("/signup", "identity"),
                    new GatewayRoutesConfig.Route("/signed-in", "identity"),
                    new GatewayRoutesConfig.Route("/device", "identity"),
                    new GatewayRoutesConfig.Route("/consent", "identity"),
                    new GatewayRoutesConfig.Route("/assets/", "identity"));
        }
    }

    @Test
    void routeToAnUnknownUpstreamFailsStartupNamingTheKey() {
        var props = valid();
        props.put("gatehouse.gateway.routes[2].upstream", "bogus");

        Throwable failure = startFailure(props);

        assertThat(GatehouseApplication.describe(failure))
                .containsExactly("gatehouse.gateway.routes[2].upstream: no upstream named 'bogus'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gatehouse.gateway.upstreams.session | ''                   | gatehouse.gateway.upstreams.session: ",
            "gatehouse.gateway.upstreams.tenant  | tenant:8080          | gatehouse.gateway.upstreams.tenant: must be an absolute http(s) URI",
            "gatehouse.gateway.upstreams.tenant  | ftp://tenant         | gatehouse.gateway.upstreams.tenant: must be an absolute http(s) URI",
            "gatehouse.gateway.upstreams.tenant  | http://tenant/?a=b   | gatehouse.gateway.upstreams.tenant: must not have a query",
            "gatehouse.gateway.routes[0].prefix  | auth/                | gatehouse.gateway.routes[0].prefix: must start with '/'",
            "gatehouse.gateway.routes[1].prefix  | /auth/               | gatehouse.gateway.routes[1].prefix: duplicate prefix '/auth/'",
            "gatehouse.gateway.read-timeout      | 0s                   | gatehouse.gateway.read-timeout: must be a positive duration",
    })
    void invalidConfigurationFailsStartupNamingTheKey(String key, String value, String expected) {
        var props = valid();
        props.put(key, value);

        Throwable failure = startFailure(props);

        assertThat(GatehouseApplication.describe(failure)).singleElement().asString().startsWith(expected);
    }

    @Test
    void missingUpstreamFailsStartupNamingTheKey() {
        var props = valid();
        props.remove("gatehouse.gateway.upstreams.identity");

        Throwable failure = startFailure(props);

        assertThat(GatehouseApplication.describe(failure)).singleElement().asString()
                .startsWith("gatehouse.gateway.upstreams.identity: required");
    }

    private static void route(Map<String, Object> props, int index, String... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put("gatehouse.gateway.routes[" + index + "]." + keyValues[i], keyValues[i + 1]);
        }
    }

    @Test
    void everyRouteFieldBindsFromKebabCaseKeys() {
        var props = valid();
        route(props, 16, "id", "org-proxies", "pattern", "/api/v1/orgs/{org}/proxies/**", "hosts",
                "API.example.com,*.example.org", "methods", "get,head", "urls", "http://a:9000,http://b:9000",
                "timeout", "7s", "retries", "2", "access", "authenticated", "authenticators", "api-key,bearer",
                "permissions", "proxies.read", "role", "operator", "organization", "org", "admin", "true",
                "errors", "redirect", "login-url", "/login", "rate-limit", "gold", "cors", "web");
        // the policies the route names must exist (gw-limits validates them at startup)
        props.put("gatehouse.gateway.cors.policies.web.allowed-origins", "https://app.example.com");
        props.put("gatehouse.gateway.rate-limits.policies.gold.ip", "100/1m");

        try (var context = ApplicationContext.run(props)) {
            var all = context.getBean(GatewayRoutesConfig.class).gatewayRoutes();
            GatewayRoute route = all.stream()
                    .filter(r -> r.id().equals("org-proxies")).findFirst()
                    .orElseThrow(() -> new AssertionError(all.stream().map(GatewayRoute::id).toList()));
            assertThat(route.hosts()).containsExactlyInAnyOrder("api.example.com", "*.example.org");
            assertThat(route.methods()).containsExactlyInAnyOrder("GET", "HEAD");
            assertThat(route.upstreams()).containsExactly(URI.create("http://a:9000"), URI.create("http://b:9000"));
            assertThat(route.timeout()).isEqualTo(Duration.ofSeconds(7));
            assertThat(route.retries()).isEqualTo(2);
            assertThat(route.access()).isEqualTo(GatewayRoute.Access.AUTHENTICATED);
            assertThat(route.authenticators()).containsExactly(GatewayRoute.AuthenticatorKind.API_KEY,
                    GatewayRoute.AuthenticatorKind.BEARER);
            assertThat(route.permissions()).containsExactly("proxies.read");
            assertThat(route.role()).isEqualTo(GatewayRoute.Role.OPERATOR);
            assertThat(route.organizationVariable()).isEqualTo("org");
            assertThat(route.admin()).isTrue();
            assertThat(route.errors()).isEqualTo(GatewayRoute.ErrorStyle.REDIRECT);
            assertThat(route.loginUrl()).isEqualTo(URI.create("/login"));
            assertThat(route.rateLimit()).isEqualTo("gold");
            assertThat(route.cors()).isEqualTo("web");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "role           | owner          | gatehouse.gateway.routes[16].role: must be one of viewer, operator or admin, was 'owner'",
            "access         | private        | gatehouse.gateway.routes[16].access: must be one of public, optional or authenticated",
            "authenticators | basic          | gatehouse.gateway.routes[16].authenticators: must be one of bearer, cookie or api-key",
            "errors         | html           | gatehouse.gateway.routes[16].errors: must be one of problem, success-false or redirect",
            "retries        | 9              | gatehouse.gateway.routes[16].retries: must be between 0 and 5",
            "retries        | many           | gatehouse.gateway.routes[16].retries: must be between 0 and 5",
            "admin          | yes            | gatehouse.gateway.routes[16].admin: must be true or false",
            "timeout        | soon           | gatehouse.gateway.routes[16].timeout: not a duration",
            "methods        | GET /          | gatehouse.gateway.routes[16].methods: not an HTTP method",
    })
    void invalidRouteFieldsFailStartupNamingTheKey(String field, String value, String expected) {
        var props = valid();
        route(props, 16, "prefix", "/x/", "upstream", "tenant", "access", "authenticated", field, value);

        assertThat(GatehouseApplication.describe(startFailure(props))).singleElement().asString()
                .startsWith(expected);
    }

    @Test
    void rulesNeedAnAuthenticatedRoute() {
        var props = valid();
        route(props, 16, "prefix", "/x/", "upstream", "tenant", "permissions", "a.b");

        assertThat(GatehouseApplication.describe(startFailure(props))).singleElement().asString()
                .startsWith("gatehouse.gateway.routes[16].access: must be authenticated");
    }

    @Test
    void theOrganizationMustBeAPatternVariable() {
        var props = valid();
        route(props, 16, "pattern", "/orgs/{id}/**", "upstream", "tenant", "access", "authenticated",
                "organization", "org");

        assertThat(GatehouseApplication.describe(startFailure(props))).singleElement().asString()
                .startsWith("gatehouse.gateway.routes[16].organization: must name a {variable} of the pattern");
    }

    @Test
    void redirectErrorsNeedALoginUrl() {
        var props = valid();
        route(props, 16, "prefix", "/x/", "upstream", "tenant", "errors", "redirect");

        assertThat(GatehouseApplication.describe(startFailure(props))).singleElement().asString()
                .startsWith("gatehouse.gateway.routes[16].login-url: required when errors is redirect");
    }

    @Test
    void aRouteHasEitherAPrefixOrAPattern() {
        var props = valid();
        route(props, 16, "prefix", "/x/", "pattern", "/x/**", "upstream", "tenant");

        assertThat(GatehouseApplication.describe(startFailure(props))).singleElement().asString()
                .startsWith("gatehouse.gateway.routes[16].prefix: set exactly one of prefix and pattern");
    }
}
