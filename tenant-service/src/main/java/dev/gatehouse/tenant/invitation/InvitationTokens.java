package dev.gatehouse.tenant.invitation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.inject.Singleton;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;

/**
 * Invitation tokens: self-describing JWS (HS256 under {@code gatehouse.tenant.invitations.signing-key}, header
 * {@code typ: gatehouse-invitation+jwt}) carrying the invitation id ({@code jti}), organization, email, role, type
 * ({@code admin} or {@code member}, so no client ever declares it: seed 004's cleanup) and expiry, plus a nonce that
 * a resend replaces. The signature makes them tamper-proof; the database makes them single use.
 */
@Singleton
public class InvitationTokens {
    static final String ISSUER = "gatehouse-tenant";
    static final JOSEObjectType TYPE = new JOSEObjectType("gatehouse-invitation+jwt");
    private static final int MAX_LENGTH = 4096;
    private final byte[] key;
    private final Clock clock;

    public InvitationTokens(InvitationConfig config, Clock clock) {
        this.key = config.signingKeyBytes();
        this.clock = clock;
    }

    /** What a valid token says. */
    public record Claims(String invitationId, String organizationId, String email, String role, String type,
                         String nonce, Instant expiresAt) {
    }

    public sealed interface Check permits Valid, Invalid, Expired {
    }

    public record Valid(Claims claims) implements Check {
    }

    public record Invalid() implements Check {
    }

    public record Expired(Claims claims) implements Check {
    }

    public String sign(Claims claims) {
        var set = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .jwtID(claims.invitationId())
                .claim("org_id", claims.organizationId())
                .claim("email", claims.email())
                .claim("role", claims.role())
                .claim("type", claims.type())
                .claim("nonce", claims.nonce())
                .issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(claims.expiresAt()))
                .build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(TYPE).build(), set);
        try {
            jwt.sign(new MACSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an invitation", e);
        }
        return jwt.serialize();
    }

    /** Checks the signature, header and claims; never throws on bad input. */
    public Check verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_LENGTH) {
            return new Invalid();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !TYPE.equals(jwt.getHeader().getType())
                    || jwt.getHeader().getCriticalParams() != null || !jwt.verify(new MACVerifier(key))) {
                return new Invalid();
            }
            JWTClaimsSet set = jwt.getJWTClaimsSet();
            if (!ISSUER.equals(set.getIssuer()) || set.getExpirationTime() == null || set.getJWTID() == null) {
                return new Invalid();
            }
            var claims = new Claims(set.getJWTID(), set.getStringClaim("org_id"), set.getStringClaim("email"),
                    set.getStringClaim("role"), set.getStringClaim("type"), set.getStringClaim("nonce"),
                    set.getExpirationTime().toInstant());
            if (claims.organizationId() == null || claims.email() == null || claims.role() == null
                    || claims.nonce() == null || claims.type() == null) {
                return new Invalid();
            }
            return clock.instant().isBefore(claims.expiresAt()) ? new Valid(claims) : new Expired(claims);
        } catch (ParseException | JOSEException | RuntimeException e) {
            return new Invalid();
        }
    }
}
