package dev.gatehouse.identity.vault;

import dev.gatehouse.contract.token.BearerTokens;
import dev.gatehouse.contract.token.Principal;
import dev.gatehouse.contract.token.Rejection;
import dev.gatehouse.contract.token.TokenVerifier;
import dev.gatehouse.contract.token.Verification;
import dev.gatehouse.identity.apps.PlatformVerifiers;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Who may take a user's upstream token: a caller with an access token from session-service (audience
 * {@code gatehouse}) carrying scope {@value VaultConfig#SCOPE}. A service's client_credentials token (no session) may
 * read any user's; a user's own token only that user's.
 */
@Singleton
public class VaultAccess {
    private final VaultConfig config;
    private final PlatformVerifiers verifiers;

    public VaultAccess(VaultConfig config, PlatformVerifiers verifiers) {
        this.config = config;
        this.verifiers = verifiers;
    }

    /** The verified caller allowed to read {@code userId}'s tokens, else a 401/403 problem. */
    public Principal requireReader(HttpRequest<?> request, String userId) {
        List<String> headers = request.getHeaders().getAll(HttpHeaders.AUTHORIZATION);
        if (headers.isEmpty()) {
            throw ProblemException.bearerChallenge("a bearer token is required", false);
        }
        String token = headers.size() == 1 ? BearerTokens.extract(headers.get(0)).orElse(null) : null;
        if (token == null) {
            throw ProblemException.bearerChallenge("malformed Authorization header", true);
        }
        Verification verification = verifier().verify(token);
        if (verification instanceof Rejection rejection) {
            throw ProblemException.bearerChallenge("TokenExpired".equals(rejection.kind()) ? "the token has expired"
                    : "the token is not valid", true);
        }
        Principal principal = (Principal) verification;
        if (!principal.hasScope(VaultConfig.SCOPE)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this needs scope " + VaultConfig.SCOPE);
        }
        if (principal.sessionId().isPresent() && !principal.subject().equals(userId)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "a user may only obtain their own upstream tokens");
        }
        return principal;
    }

    private TokenVerifier verifier() {
        return verifiers.forAudience(config.audience());
    }
}
