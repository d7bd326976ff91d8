package dev.gatehouse.gateway.authz;

import dev.gatehouse.gateway.auth.GatewayPrincipal;
import dev.gatehouse.gateway.route.GatewayRoute;
import dev.gatehouse.gateway.route.RouteMatch;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-route rules of {@link AuthorizeFilter}, one by one. */
class AuthorizationRulesTest {

    private static GatewayRoute route(Set<String> permissions, GatewayRoute.Role role, String organization,
                                      boolean admin) {
        return new GatewayRoute("r", Set.of(), null, "/orgs/{org}/**", Set.of(), "u", List.of(URI.create("http://u")),
                Duration.ofSeconds(1), 0, GatewayRoute.Access.AUTHENTICATED, null, permissions, role, organization,
                admin, GatewayRoute.ErrorStyle.PROBLEM, null, null, null);
    }

    private static GatewayPrincipal user(String org, Set<String> permissions, Set<String> roles, boolean platformAdmin) {
        return new GatewayPrincipal(GatewayPrincipal.Kind.USER, "user_1", org, "ses_1", permissions, roles, Set.of(),
                platformAdmin, null, "bearer");
    }

    private static GatewayPrincipal apiKey(String org, Set<String> permissions) {
        return new GatewayPrincipal(GatewayPrincipal.Kind.API_KEY, "key_1", org, null, permissions, Set.of("admin"),
                Set.of("grp_1"), false, null, "api-key");
    }

    private static RouteMatch match(GatewayRoute route, String org) {
        return new RouteMatch(route, Map.of("org", org));
    }

    @Test
    void apiKeysNeverReachAdminRoutesWhateverTheyHold() {
        var admin = route(Set.of(), null, null, true);

        assertThat(AuthorizeFilter.denial(match(admin, "o"), apiKey("o", Set.of("organization.write"))))
                .hasValue("API keys cannot perform admin operations");
        assertThat(AuthorizeFilter.denial(match(admin, "o"), user("o", Set.of(), Set.of(), false))).isEmpty();
    }

    @Test
    void platformAdminPassesOrganizationScopingButImpliesNoPermission() {
        var scoped = route(Set.of(), null, "org", false);
        var needsWrite = route(Set.of("proxies.write"), null, "org", false);

        assertThat(AuthorizeFilter.denial(match(scoped, "org_b"), user("org_a", Set.of(), Set.of(), true))).isEmpty();
        assertThat(AuthorizeFilter.denial(match(needsWrite, "org_b"), user("org_a", Set.of(), Set.of(), true)))
                .hasValue("This needs the permission proxies.write");
    }

    @Test
    void theOrganizationIsComparedDecodedAndExactly() {
        var scoped = route(Set.of(), null, "org", false);

        assertThat(AuthorizeFilter.denial(match(scoped, "org%5Fa"), user("org_a", Set.of(), Set.of(), false))).isEmpty();
        assertThat(AuthorizeFilter.denial(match(scoped, "ORG_A"), user("org_a", Set.of(), Set.of(), false)))
                .hasValue("The credential is not for this organization");
        assertThat(AuthorizeFilter.denial(match(scoped, "org_a"), user(null, Set.of(), Set.of(), false)))
                .hasValue("The credential is not for this organization");
    }

    @Test
    void aHigherRoleSatisfiesALowerOneAndCustomRolesSatisfyNone() {
        var operator = route(Set.of(), GatewayRoute.Role.OPERATOR, null, false);

        assertThat(AuthorizeFilter.denial(match(operator, "o"), user("o", Set.of(), Set.of("admin"), false))).isEmpty();
        assertThat(AuthorizeFilter.denial(match(operator, "o"), user("o", Set.of(), Set.of("operator"), false)))
                .isEmpty();
        assertThat(AuthorizeFilter.denial(match(operator, "o"), user("o", Set.of(), Set.of("viewer"), false)))
                .hasValue("This needs the operator role");
        assertThat(AuthorizeFilter.denial(match(operator, "o"), user("o", Set.of(), Set.of("auditor"), false)))
                .hasValue("This needs the operator role");
    }

    @Test
    void everyListedPermissionIsRequired() {
        var both = route(Set.of("a.read", "b.read"), null, null, false);

        assertThat(AuthorizeFilter.denial(match(both, "o"), user("o", Set.of("a.read"), Set.of(), false))).isPresent();
        assertThat(AuthorizeFilter.denial(match(both, "o"), user("o", Set.of("a.read", "b.read"), Set.of(), false)))
                .isEmpty();
    }

    @Test
    void anAuthenticatedRouteWithoutAPrincipalIsDenied() {
        assertThat(AuthorizeFilter.denial(match(route(Set.of(), null, null, false), "o"), null))
                .hasValue("Authentication is required");
    }
}
