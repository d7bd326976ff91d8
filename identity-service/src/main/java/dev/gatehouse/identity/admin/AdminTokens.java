package dev.gatehouse.identity.admin;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.contract.token.Principal;
import dev.gatehouse.contract.token.TokenExpired;
import dev.gatehouse.contract.token.TokenVerifier;
import dev.gatehouse.contract.token.Verification;
import dev.gatehouse.identity.platform.SessionClient;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Verifies seed-001 JWTs locally (session-service's keys, its issuer, the admin client's audience), for refresh and
 * logout, which must also work on a token that has just expired. The verifier is built on first use from
 * session-service's discovery document.
 */
@Singleton
public class AdminTokens {
    private final SessionClient sessions;
    private final AdminApiConfig config;
    private final Clock clock;
    private volatile TokenVerifier verifier;

    public AdminTokens(SessionClient sessions, AdminApiConfig config, Clock clock) {
        this.sessions = sessions;
        this.config = config;
        this.clock = clock;
    }

    /**
     * A correctly signed token of the admin client, valid or expired at most {@code maxExpiredFor} ago.
     *
     * @param sessionId the token's {@code sid}
     * @param subject   its user
     * @param expiredAt its {@code exp}
     */
    public record Checked(String sessionId, String subject, Instant expiredAt) {
    }

    public Optional<Checked> check(String token, Duration maxExpiredFor) {
        Verification verification = verifier().verify(token);
        if (verification instanceof Principal principal) {
            return principal.sessionId().map(sid -> new Checked(sid, principal.subject(),
                    principal.expiresAt()));
        }
        if (verification instanceof TokenExpired expired
                && !clock.instant().isAfter(expired.expiredAt().plus(maxExpiredFor))) {
            // TokenExpired is only answered for a token whose signature, issuer and audience verified
            try {
                JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
                String sid = claims.getStringClaim("sid");
                return sid == null ? Optional.empty()
                        : Optional.of(new Checked(sid, claims.getSubject(), expired.expiredAt()));
            } catch (ParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private TokenVerifier verifier() {
        TokenVerifier current = verifier;
        if (current == null) {
            synchronized (this) {
                current = verifier;
                if (current == null) {
                    SessionClient.Issuer issuer = sessions.issuer();
                    current = TokenVerifier.builder().issuer(issuer.issuer()).audience(config.clientId())
                            .jwksUri(issuer.jwksUri()).clock(clock).build();
                    verifier = current;
                }
            }
        }
        return current;
    }
}
