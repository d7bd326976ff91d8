package dev.gatehouse.tenant.access;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.contract.token.BearerTokens;
import dev.gatehouse.contract.token.Principal;
import dev.gatehouse.contract.token.Rejection;
import dev.gatehouse.contract.token.TokenVerifier;
import dev.gatehouse.contract.token.Verification;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.tenant.rbac.BuiltInRole;
import dev.gatehouse.tenant.rbac.Effective;
import dev.gatehouse.tenant.rbac.EffectivePermissions;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may call tenant-service, decided inside the service (not only at the gateway). Every caller presents an access
 * token minted by session-service for the Gatehouse API audience.
 * <ul>
 *   <li>Platform admins ({@code platform_admin: true}, a user's or a declared client's): everything.</li>
 *   <li>Organization members (a user token): read their organization; its admins (the built-in {@code admin} role,
 *       directly or through a group, according to tenant-service's own data, never the token's {@code permissions})
 *       manage it. Non-members are told the organization does not exist (404).</li>
 *   <li>Services: a client_credentials token with scope {@value #INTERNAL_SCOPE}, on {@code /internal/v1/...} only.</li>
 * </ul>
 * 401 (with {@code WWW-Authenticate: Bearer}) without a valid token, 403 when it is valid but not enough.
 */
@Singleton
public class TenantAccess {
    public static final String INTERNAL_SCOPE = "gatehouse:internal";
    /**
     * Verified tokens are remembered for a minute at most (a service presents the same token for many calls), so a
     * key removed from the JWKS stops working within a minute here too; cleared when full.
     */
    private static final int MAX_REMEMBERED = 10_000;
    private static final java.time.Duration REMEMBER_FOR = java.time.Duration.ofMinutes(1);
    private final TokenVerifier verifier;
    private final EffectivePermissions effective;
    private final Clock clock;
    private final Map<String, Remembered> verified = new ConcurrentHashMap<>();

    private record Remembered(Principal principal, java.time.Instant until) {
    }

    public TenantAccess(TokenVerifier verifier, EffectivePermissions effective, Clock clock) {
        this.verifier = verifier;
        this.effective = effective;
        this.clock = clock;
    }

    /** What the admin API operation needs in the organization. */
    public enum Need {
        /** any role: viewer, operator or admin */
        READ,
        /** the admin role */
        ADMIN
    }

    public Principal authenticate(HttpRequest<?> request) {
        List<String> headers = request.getHeaders().getAll(HttpHeaders.AUTHORIZATION);
        if (headers.isEmpty()) {
            throw ProblemException.bearerChallenge("a bearer token is required", false);
        }
        String token = headers.size() == 1 ? BearerTokens.extract(headers.get(0)).orElse(null) : null;
        if (token == null) {
            throw ProblemException.bearerChallenge("malformed Authorization header", true);
        }
        Remembered known = verified.get(token);
        // the verifier's leeway is not granted to a remembered token: it is verified again once past exp
        if (known != null && clock.instant().isBefore(known.until())) {
            return known.principal();
        }
        Verification verification = verifier.verify(token);
        if (verification instanceof Rejection rejection) {
            throw ProblemException.bearerChallenge("TokenExpired".equals(rejection.kind()) ? "the token has expired"
                    : "the token is not valid", true);
        }
        Principal principal = (Principal) verification;
        if (verified.size() >= MAX_REMEMBERED) {
            verified.clear();
        }
        java.time.Instant remember = clock.instant().plus(REMEMBER_FOR);
        verified.put(token, new Remembered(principal,
                remember.isBefore(principal.expiresAt()) ? remember : principal.expiresAt()));
        return principal;
    }

    public Principal requireInternalService(HttpRequest<?> request) {
        Principal principal = authenticate(request);
        if (principal.sessionId().isPresent() || !principal.hasScope(INTERNAL_SCOPE)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this needs a service token with scope " + INTERNAL_SCOPE);
        }
        return principal;
    }

    public Principal requirePlatformAdmin(HttpRequest<?> request) {
        Principal principal = authenticate(request);
        if (!principal.platformAdmin()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this needs a platform administrator");
        }
        return principal;
    }

    /** A signed-in user's token (it has a session). */
    public Principal requireUser(HttpRequest<?> request) {
        Principal principal = authenticate(request);
        if (principal.sessionId().isEmpty()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this needs a user's token");
        }
        return principal;
    }

    /** The caller, allowed {@code need} in {@code organization}; 404 for non-members, 403 for too small a role. */
    public Caller require(HttpRequest<?> request, OrgId organization, Need need) {
        Principal principal = authenticate(request);
        Optional<Effective> membership = principal.sessionId().isPresent()
                ? Optional.ofNullable(userIdOrNull(principal.subject())).flatMap(u -> effective.lookup(organization, u))
                : Optional.empty();
        if (principal.platformAdmin()) {
            return new Caller(principal, membership);
        }
        if (membership.isEmpty()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such organization");
        }
        if (need == Need.ADMIN && !membership.get().hasRole(BuiltInRole.ADMIN)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this needs the admin role in the organization");
        }
        return new Caller(principal, membership);
    }

    private static UserId userIdOrNull(String subject) {
        try {
            return new UserId(subject);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
