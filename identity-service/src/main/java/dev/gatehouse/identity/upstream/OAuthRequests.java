package dev.gatehouse.identity.upstream;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** Seed 004's bodies for upstream sign-in. */
public final class OAuthRequests {
    private OAuthRequests() {
    }

    /** {@code POST /auth/sign-in}: discovery. {@code codeChallenge} only from desktop apps (their own PKCE S256). */
    @Serdeable
    public record SignIn(@Nullable String email, @Nullable String codeChallenge) {
    }

    /** {@code POST /auth/oauth/{provider}/start}: web sends nothing (or its own state), desktop its codeChallenge. */
    @Serdeable
    public record Start(@Nullable String state, @Nullable String codeChallenge) {
    }

    /**
     * {@code POST /auth/oauth/finalize}: what the provider sent back to the redirect URI ({@code code}, {@code state}
     * and, when the provider sends it, {@code iss}, RFC 9207), plus the desktop app's PKCE verifier and an invitation.
     */
    @Serdeable
    public record Finalize(@Nullable String code, @Nullable String state, @Nullable String codeVerifier,
                           @Nullable String iss, @Nullable String inviteToken, @Nullable String inviteType) {
        @Override
        public String toString() {
            return "Finalize[]";
        }
    }

    /** Seed 004's {@code AuthData}: which method to use, and for {@code sso} where to send the browser. */
    @Serdeable
    public record AuthData(String authMethod, @Nullable String redirectUrl, @Nullable String state,
                           @Nullable String challenge) {
        public static final String SSO = "sso";
        public static final String MAGIC_AUTH = "magicAuth";
        public static final String PASSWORD = "password";
    }
}
