package dev.gatehouse.gateway.auth;

import dev.gatehouse.gateway.route.GatewayRoute;
import io.micronaut.http.HttpRequest;

import java.util.concurrent.CompletionStage;

/** Turns one kind of credential into a {@link GatewayPrincipal}. One class per credential. */
public interface Authenticator {
    /** The credential it handles. */
    GatewayRoute.AuthenticatorKind kind();

    /**
     * Checks the request's credential of this kind, if any. Completes with {@link AuthResult.NoCredential} when the
     * request carries none (the next authenticator is tried). Never completes exceptionally for bad input.
     */
    CompletionStage<AuthResult> authenticate(HttpRequest<?> request);
}
