package dev.gatehouse.gateway.upstream;

import dev.gatehouse.gateway.auth.GatewayPrincipal;
import io.micronaut.http.MutableHttpHeaders;
import jakarta.inject.Singleton;

import java.util.TreeSet;

/**
 * What the gateway asserts to upstreams about the caller (client-sent {@code X-Gatehouse-*} headers were removed
 * before): {@code X-Gatehouse-User} (user id, API key id or client id), {@code -Principal-Type}
 * ({@code user}/{@code api_key}/{@code service}), {@code -Org}, {@code -Permissions} (space-separated, sorted),
 * {@code -Roles}, {@code -Groups}, {@code -Session}, {@code -Platform-Admin}, and with
 * {@code gatehouse.gateway.internal-token.enabled} a short-lived signed JWT in {@code X-Gatehouse-Token}.
 */
@Singleton
public class IdentityHeaders {
    public static final String USER = "X-Gatehouse-User";
    public static final String TYPE = "X-Gatehouse-Principal-Type";
    public static final String ORG = "X-Gatehouse-Org";
    public static final String PERMISSIONS = "X-Gatehouse-Permissions";
    public static final String ROLES = "X-Gatehouse-Roles";
    public static final String GROUPS = "X-Gatehouse-Groups";
    public static final String SESSION = "X-Gatehouse-Session";
    public static final String PLATFORM_ADMIN = "X-Gatehouse-Platform-Admin";
    public static final String TOKEN = "X-Gatehouse-Token";

    private final InternalTokens internalTokens;

    public IdentityHeaders(InternalTokens internalTokens) {
        this.internalTokens = internalTokens;
    }

    /** Adds the principal's headers; nothing for an anonymous request. */
    public void apply(GatewayPrincipal principal, String audience, MutableHttpHeaders headers) {
        if (principal == null) {
            return;
        }
        headers.set(USER, principal.subject());
        headers.set(TYPE, principal.kind().name().toLowerCase(java.util.Locale.ROOT));
        if (principal.organizationId() != null) {
            headers.set(ORG, principal.organizationId());
        }
        headers.set(PERMISSIONS, String.join(" ", new TreeSet<>(principal.permissions())));
        if (!principal.roles().isEmpty()) {
            headers.set(ROLES, String.join(" ", new TreeSet<>(principal.roles())));
        }
        if (!principal.groups().isEmpty()) {
            headers.set(GROUPS, String.join(" ", new TreeSet<>(principal.groups())));
        }
        if (principal.sessionId() != null) {
            headers.set(SESSION, principal.sessionId());
        }
        if (principal.platformAdmin()) {
            headers.set(PLATFORM_ADMIN, "true");
        }
        if (internalTokens.enabled()) {
            headers.set(TOKEN, internalTokens.mint(principal, audience));
        }
    }
}
