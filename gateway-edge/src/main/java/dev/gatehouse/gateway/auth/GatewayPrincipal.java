package dev.gatehouse.gateway.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request comes from, whatever credential proved it. Immutable; built by one authenticator.
 *
 * @param kind           what kind of caller
 * @param subject        the user id ({@link Kind#USER}), the API key id ({@link Kind#API_KEY}) or the OAuth client
 *                       id of a {@code client_credentials} token ({@link Kind#SERVICE}); never blank
 * @param organizationId the organization the credential acts in; null when it has none
 * @param sessionId      the session ({@code sid}) of a user credential; null otherwise
 * @param permissions    permission names held in {@code organizationId}
 * @param roles          role names ({@code viewer}, {@code operator}, {@code admin}, or others) held in
 *                       {@code organizationId}
 * @param groups         user groups the credential is scoped to (API keys, seed 001); empty when unscoped
 * @param platformAdmin  operator of the whole platform: passes organization scoping; implies no permission
 * @param expiresAt      when the credential stops being valid (token {@code exp}, API key expiry); null when never
 * @param authenticator  name of the authenticator that accepted it ({@code bearer}, {@code cookie}, {@code api-key})
 */
public record GatewayPrincipal(Kind kind, String subject, String organizationId, String sessionId,
                               Set<String> permissions, Set<String> roles, Set<String> groups,
                               boolean platformAdmin, Instant expiresAt, String authenticator) {
    /** The kinds of caller. */
    public enum Kind {
        /** A person, through a bearer access token or a session cookie. */
        USER,
        /** An API key ({@code X-API-Key}). */
        API_KEY,
        /** An OAuth client acting for itself ({@code client_credentials} token). */
        SERVICE
    }

    public GatewayPrincipal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank");
        }
        permissions = permissions == null ? Set.of() : Set.copyOf(permissions);
        roles = roles == null ? Set.of() : Set.copyOf(roles);
        groups = groups == null ? Set.of() : Set.copyOf(groups);
        Objects.requireNonNull(authenticator, "authenticator");
    }

    public Optional<String> organization() {
        return Optional.ofNullable(organizationId);
    }

    public Optional<String> session() {
        return Optional.ofNullable(sessionId);
    }

    public boolean isApiKey() {
        return kind == Kind.API_KEY;
    }

    /** Identifiers only. */
    @Override
    public String toString() {
        return "GatewayPrincipal[" + kind + " " + subject + ", org=" + organizationId + ", sid=" + sessionId
                + ", via=" + authenticator + "]";
    }
}
