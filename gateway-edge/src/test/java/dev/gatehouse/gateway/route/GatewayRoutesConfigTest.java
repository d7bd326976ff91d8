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
}
