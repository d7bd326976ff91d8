package dev.gatehouse.gateway.auth;

import dev.gatehouse.contract.token.BearerTokens;
import dev.gatehouse.contract.token.Principal;
import dev.gatehouse.contract.token.TokenExpired;
import dev.gatehouse.gateway.revocation.Revocations;
import dev.gatehouse.gateway.route.GatewayRoute;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code Authorization: Bearer <JWT>}: verified locally ({@link Verifiers}), then checked against the revoked sessions.
 * A token of a trusted external issuer acts in the Gatehouse organization provisioned for its {@code org_id}.
 */
@Singleton
public class BearerAuthenticator implements Authenticator {
    static final String NAME = "bearer";
    private final Verifiers verifiers;
    private final Revocations revocations;
    private final TokenPrincipals principals;
    private final TenantProvisioner provisioner;

    public BearerAuthenticator(Verifiers verifiers, Revocations revocations, TokenPrincipals principals,
                               TenantProvisioner provisioner) {
        this.verifiers = verifiers;
        this.revocations = revocations;
        this.principals = principals;
        this.provisioner = provisioner;
    }

    @Override
    public GatewayRoute.AuthenticatorKind kind() {
        return GatewayRoute.AuthenticatorKind.BEARER;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return CompletableFuture.completedFuture(AuthResult.NO_CREDENTIAL);
        }
        String token = BearerTokens.extract(header).orElse(null);
        if (token == null) {
            return done(new AuthResult.Rejected("the Authorization header is not a bearer token"));
        }
        return switch (verifiers.verify(token)) {
            case Verifiers.Untrusted untrusted -> done(new AuthResult.Rejected(untrusted.reason()));
            case Verifiers.Verified verified -> switch (verified.verification()) {
                case Principal principal -> accept(verified.entry(), principal);
                case TokenExpired expired -> done(new AuthResult.Rejected("the access token has expired"));
                default -> done(new AuthResult.Rejected("the access token is not valid"));
            };
        };
    }

    private CompletionStage<AuthResult> accept(Verifiers.Entry entry, Principal token) {
        if (token.sessionId().map(revocations::sessionRevoked).orElse(false)) {
            return done(new AuthResult.Rejected("the session has been revoked"));
        }
        if (entry.external() && entry.trusted().provision() && token.organizationId().isPresent()) {
            return provisioner.organizationOf(token.issuer(), token.organizationId().get())
                    .<AuthResult>thenApply(org -> new AuthResult.Authenticated(principals.of(token, org, NAME)))
                    .exceptionally(e -> new AuthResult.Unavailable("the organization could not be provisioned"));
        }
        return done(new AuthResult.Authenticated(principals.of(token, token.organizationId().orElse(null), NAME)));
    }

    private static CompletionStage<AuthResult> done(AuthResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
