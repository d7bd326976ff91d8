package dev.gatehouse.session.internal;

import dev.gatehouse.contract.token.SessionCookie;
import dev.gatehouse.session.ServerConfig;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Seals and opens browser-session cookies under {@code gatehouse.session.cookie-key}. */
@Singleton
public class SessionCookies {
    private final SessionCookie.Sealer sealer;

    public SessionCookies(ServerConfig config) {
        this.sealer = new SessionCookie.Sealer(config.cookieKeyBytes());
    }

    public String seal(String sessionId, String handle, String accessToken) {
        return sealer.seal(new SessionCookie(sessionId, handle, accessToken));
    }

    public Optional<SessionCookie> open(String sealed) {
        return sealer.open(sealed);
    }
}
