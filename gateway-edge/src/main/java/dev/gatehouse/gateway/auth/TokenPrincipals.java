package dev.gatehouse.gateway.auth;

import dev.gatehouse.contract.token.Principal;
import jakarta.inject.Singleton;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds a {@link GatewayPrincipal} from a verified access token. */
@Singleton
public class TokenPrincipals {
    private final Map<String, String> rolePermissions;

    public TokenPrincipals(AuthConfig config) {
        this.rolePermissions = config.rolePermissions();
    }

    /**
     * @param organizationId the organization to assert (the token's, or the Gatehouse id of an external one)
     */
    public GatewayPrincipal of(Principal token, String organizationId, String authenticator) {
        boolean service = token.sessionId().isEmpty() && token.clientId().isPresent()
                && token.subject().equals(token.clientId().get());
        return new GatewayPrincipal(service ? GatewayPrincipal.Kind.SERVICE : GatewayPrincipal.Kind.USER,
                token.subject(), organizationId, token.sessionId().orElse(null), token.permissions(),
                roles(token.permissions(), token.claims().get("roles")), Set.of(), token.platformAdmin(),
                token.expiresAt(), authenticator);
    }

    /** The roles the permissions prove, plus those a {@code roles} claim names. */
    public Set<String> roles(Set<String> permissions, Object rolesClaim) {
        var roles = new HashSet<String>();
        rolePermissions.forEach((role, permission) -> {
            if (permissions.contains(permission)) {
                roles.add(role);
            }
        });
        if (rolesClaim instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(roles::add);
        }
        return roles;
    }
}
