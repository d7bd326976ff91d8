package dev.gatehouse.gateway.auth;

import io.micronaut.http.cookie.Cookie;

import java.util.List;

/** What an {@link Authenticator} concluded. */
public sealed interface AuthResult {
    /** The credential is valid; {@code setCookies} go on the response (a refreshed session cookie). */
    record Authenticated(GatewayPrincipal principal, List<Cookie> setCookies) implements AuthResult {
        public Authenticated {
            setCookies = List.copyOf(setCookies);
        }

        public Authenticated(GatewayPrincipal principal) {
            this(principal, List.of());
        }
    }

    /** The request carries no credential of this kind. */
    record NoCredential() implements AuthResult {
    }

    /**
     * A credential was sent but is not valid (expired, forged, revoked, unknown issuer...): 401. {@code reason} is for
     * the response's detail and the log, never a secret; {@code clearCookies} remove a dead session cookie.
     */
    record Rejected(String reason, List<Cookie> clearCookies) implements AuthResult {
        public Rejected(String reason) {
            this(reason, List.of());
        }
    }

    /** The credential could not be checked now (a dependency failed): 503. */
    record Unavailable(String reason) implements AuthResult {
    }

    AuthResult NO_CREDENTIAL = new NoCredential();
}
