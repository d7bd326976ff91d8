package dev.gatehouse.contract.token;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a verified access token speaks for (RFC 9068 §2.2). Built only from a token whose signature, issuer, audience,
 * type and lifetime were checked; immutable, so it can be cached with the token and shared between threads.
 *
 * @param issuer         {@code iss}, exactly the verifier's configured issuer
 * @param subject        {@code sub}: a user id, or the client id of a {@code client_credentials} token; never blank
 * @param organizationId {@code org_id}, the tenant the token acts in; empty for tokens without an organization
 * @param permissions    {@code permissions}; empty when the claim is absent (seed 002)
 * @param sessionId      {@code sid}
 * @param clientId       {@code client_id}, the OAuth client the token was issued to
 * @param scopes         {@code scope}, split on spaces
 * @param audience       {@code aud}, every audience the token names (one of them is the verifier's)
 * @param expiresAt      {@code exp}
 * @param tokenId        {@code jti}, the key of revocation denylists
 * @param platformAdmin  {@code platform_admin}; it does not imply any permission, check it explicitly
 * @param claims         every claim of the token as parsed JSON (strings, Long or Double numbers, booleans, lists,
 *                       maps), deeply unmodifiable
 */
public record Principal(String issuer, String subject, Optional<String> organizationId, Set<String> permissions,
                        Optional<String> sessionId, Optional<String> clientId, Set<String> scopes,
                        Set<String> audience, Instant expiresAt, Optional<String> tokenId, boolean platformAdmin,
                        Map<String, Object> claims) implements Verification {
    public Principal {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank");
        }
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(tokenId, "tokenId");
        permissions = Set.copyOf(permissions);
        scopes = Set.copyOf(scopes);
        audience = Set.copyOf(audience);
        claims = JsonValues.freeze(Objects.requireNonNull(claims, "claims"));
    }

    /** This principal if it holds {@code permission}, otherwise {@link PrincipalLacksPermission}. */
    @Override
    public Verification require(String permission) {
        return hasPermission(permission) ? this : new PrincipalLacksPermission(permission);
    }

    /** Whether the {@code permissions} claim lists {@code permission} (exact, case-sensitive). */
    public boolean hasPermission(String permission) {
        return permissions.contains(Objects.requireNonNull(permission, "permission"));
    }

    /** Whether the {@code scope} claim lists {@code scope} (exact, case-sensitive). */
    public boolean hasScope(String scope) {
        return scopes.contains(Objects.requireNonNull(scope, "scope"));
    }

    /** A string claim such as {@link Claims#EMAIL} or {@link Claims#NAME}; empty when absent or not a string. */
    public Optional<String> claim(String name) {
        return claims.get(Objects.requireNonNull(name, "name")) instanceof String value
                ? Optional.of(value) : Optional.empty();
    }

    /** Identifiers only: the claims (e-mail, name...) stay out of logs. */
    @Override
    public String toString() {
        return "Principal[issuer=" + issuer + ", subject=" + subject + ", organizationId=" + organizationId.orElse(null)
                + ", clientId=" + clientId.orElse(null) + ", sessionId=" + sessionId.orElse(null)
                + ", tokenId=" + tokenId.orElse(null) + ", expiresAt=" + expiresAt + ", platformAdmin="
                + platformAdmin + ", permissions=" + permissions + ", scopes=" + scopes + "]";
    }
}
