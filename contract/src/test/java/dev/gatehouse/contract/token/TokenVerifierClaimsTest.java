package dev.gatehouse.contract.token;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static dev.gatehouse.contract.token.TestTokens.AUDIENCE;
import static dev.gatehouse.contract.token.TestTokens.ISSUER;
import static dev.gatehouse.contract.token.TestTokens.KEY;
import static dev.gatehouse.contract.token.TestTokens.NOW;
import static dev.gatehouse.contract.token.TestTokens.claims;
import static dev.gatehouse.contract.token.TestTokens.jwks;
import static dev.gatehouse.contract.token.TestTokens.token;
import static dev.gatehouse.contract.token.TestTokens.verifier;
import static dev.gatehouse.contract.token.TestTokens.with;
import static dev.gatehouse.contract.token.TestTokens.without;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Claim rules (RFC 7519 §4.1, RFC 9068 §4, seed 002), at a frozen instant with the default 30 s leeway. */
class TokenVerifierClaimsTest {
    private static final long NOW_S = NOW.getEpochSecond();

    private final TokenVerifier verifier = verifier();

    @Test
    void aFullTokenBecomesAFullPrincipal() {
        var claims = claims();
        claims.put("aud", List.of("https://other.gatehouse.test", AUDIENCE));
        claims.put("org_id", "org_01m835db0hb4dn16z20bj3tbja");
        claims.put("permissions", List.of("audit_tail.read", "members.write", "audit_tail.read"));
        claims.put("sid", "ses_01j9zq");
        claims.put("client_id", "cli_dashboard");
        claims.put("scope", "openid  profile email");
        claims.put("platform_admin", true);
        claims.put("email", "ada@example.com");
        claims.put("name", "Ada Lovelace");
        claims.put("email_verified", true);
        claims.put("nbf", NOW_S - 10);
        claims.put("act", Map.of("sub", "usr_support"));

        var principal = (Principal) verifier.verify(token(claims));

        assertThat(principal.issuer()).isEqualTo(ISSUER);
        assertThat(principal.subject()).isEqualTo("usr_01j9zq5w3m8r7x2c4v6b8n0p1q");
        assertThat(principal.organizationId()).contains("org_01m835db0hb4dn16z20bj3tbja");
        assertThat(principal.permissions()).containsExactlyInAnyOrder("audit_tail.read", "members.write");
        assertThat(principal.sessionId()).contains("ses_01j9zq");
        assertThat(principal.clientId()).contains("cli_dashboard");
        assertThat(principal.scopes()).containsExactlyInAnyOrder("openid", "profile", "email");
        assertThat(principal.audience()).containsExactlyInAnyOrder("https://other.gatehouse.test", AUDIENCE);
        assertThat(principal.expiresAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(principal.tokenId()).contains("at_01j9zq6a");
        assertThat(principal.platformAdmin()).isTrue();
        assertThat(principal.claim(Claims.EMAIL)).contains("ada@example.com");
        assertThat(principal.claim(Claims.NAME)).contains("Ada Lovelace");
        assertThat(principal.claim(Claims.EMAIL_VERIFIED)).isEmpty();
        assertThat(principal.claims()).containsEntry(Claims.EMAIL_VERIFIED, true)
                .containsEntry("act", Map.of("sub", "usr_support")).containsEntry(Claims.ISSUED_AT, NOW_S - 10);
        assertThat(principal.hasScope("profile")).isTrue();
        assertThat(principal.hasPermission("members.write")).isTrue();
        assertThat(principal.require("audit_tail.read")).isSameAs(principal);
        assertThat(principal.require("billing.manage")).isEqualTo(new PrincipalLacksPermission("billing.manage"));
    }

    @Test
    void aMinimalClientCredentialsTokenHasNoOrganizationAndNoPermissions() {
        var principal = (Principal) verifier.verify(token(with(claims(), "sub", "cli_reporting")));
        assertThat(principal.organizationId()).isEmpty();
        assertThat(principal.permissions()).isEmpty();
        assertThat(principal.scopes()).isEmpty();
        assertThat(principal.sessionId()).isEmpty();
        assertThat(principal.clientId()).isEmpty();
        assertThat(principal.platformAdmin()).isFalse();
        assertThat(principal.require("audit_tail.read")).isEqualTo(new PrincipalLacksPermission("audit_tail.read"));
    }

    static Stream<Arguments> invalidClaims() {
        var c = claims();
        return Stream.of(
                arguments("wrong iss", with(c, "iss", "https://evil.example"), "iss missing or not the expected issuer"),
                arguments("iss with a trailing slash", with(c, "iss", ISSUER + "/"), "iss missing or not the expected issuer"),
                arguments("iss in another case", with(c, "iss", ISSUER.toUpperCase()), "iss missing or not the expected issuer"),
                arguments("iss missing", without(c, "iss"), "iss missing or not the expected issuer"),
                arguments("iss an array", with(c, "iss", List.of(ISSUER)), "iss missing or not the expected issuer"),
                arguments("aud missing", without(c, "aud"), "aud missing or malformed"),
                arguments("aud empty array", with(c, "aud", List.of()), "aud missing or malformed"),
                arguments("aud a number", with(c, "aud", 1), "aud missing or malformed"),
                arguments("aud array with a number", with(c, "aud", List.of(AUDIENCE, 1)), "aud missing or malformed"),
                arguments("aud another", with(c, "aud", "https://other.gatehouse.test"), "aud does not contain the expected audience"),
                arguments("aud array without ours", with(c, "aud", List.of("a", "b")), "aud does not contain the expected audience"),
                arguments("aud with a trailing slash", with(c, "aud", AUDIENCE + "/"), "aud does not contain the expected audience"),
                arguments("sub missing", without(c, "sub"), "sub missing or blank"),
                arguments("sub blank", with(c, "sub", "  "), "sub missing or blank"),
                arguments("sub empty", with(c, "sub", ""), "sub missing or blank"),
                arguments("sub a number", with(c, "sub", 42), "sub missing or blank"),
                arguments("org_id blank", with(c, "org_id", " "), "org_id is not an organization id"),
                arguments("org_id a number", with(c, "org_id", 7), "org_id is not an organization id"),
                arguments("org_id with a slash", with(c, "org_id", "org/1"), "org_id is not an organization id"),
                arguments("permissions a string", with(c, "permissions", "audit_tail.read"), "permissions is not an array of strings"),
                arguments("permissions with a number", with(c, "permissions", List.of("a", 1)), "permissions is not an array of strings"),
                arguments("permissions an object", with(c, "permissions", Map.of("a", true)), "permissions is not an array of strings"),
                arguments("scope an array", with(c, "scope", List.of("openid")), "scope is not a string"),
                arguments("sid a number", with(c, "sid", 1), "sid is not a non-empty string"),
                arguments("client_id empty", with(c, "client_id", ""), "client_id is not a non-empty string"),
                arguments("jti an object", with(c, "jti", Map.of()), "jti is not a non-empty string"),
                arguments("platform_admin a string", with(c, "platform_admin", "true"), "platform_admin is not a boolean"),
                arguments("exp missing", without(c, "exp"), "exp missing or not a NumericDate"),
                arguments("exp a string", with(c, "exp", String.valueOf(NOW_S + 300)), "exp missing or not a NumericDate"),
                arguments("exp negative", with(c, "exp", -1), "exp missing or not a NumericDate"),
                arguments("exp past year 9999", with(c, "exp", 253_402_300_800L), "exp missing or not a NumericDate"),
                arguments("nbf a string", with(c, "nbf", "now"), "nbf is not a NumericDate"),
                arguments("nbf in the future", with(c, "nbf", NOW_S + 31), "nbf is in the future"),
                arguments("iat a boolean", with(c, "iat", true), "iat is not a NumericDate"),
                arguments("iat in the future", with(c, "iat", NOW_S + 60), "iat is in the future"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidClaims")
    void aClaimThatBreaksARuleIsTokenInvalid(String rule, Map<String, Object> claims, String reason) {
        assertThat(verifier.verify(token(claims))).isEqualTo(new TokenInvalid(reason));
    }

    @Test
    void expPastBeyondTheLeewayIsTokenExpired() {
        assertThat(verifier.verify(token(with(claims(), "exp", NOW_S - 30))))
                .isEqualTo(new TokenExpired(Instant.ofEpochSecond(NOW_S - 30)));
        assertThat(verifier.verify(token(with(claims(), "exp", NOW_S - 3600))))
                .isEqualTo(new TokenExpired(NOW.minusSeconds(3600)));
    }

    @Test
    void expWithinTheLeewayIsStillAccepted() {
        assertThat(verifier.verify(token(with(claims(), "exp", NOW_S - 29)))).isInstanceOf(Principal.class);
        assertThat(verifier.verify(token(with(claims(), "exp", NOW_S)))).isInstanceOf(Principal.class);
    }

    @Test
    void theLeewayIsConfigurable() {
        var strict = verifier(JwksSource.of(jwks(KEY))).leeway(Duration.ZERO).build();
        assertThat(strict.verify(token(with(claims(), "exp", NOW_S)))).isEqualTo(new TokenExpired(NOW));
        assertThat(strict.verify(token(with(claims(), "nbf", NOW_S + 1)))).isEqualTo(new TokenInvalid("nbf is in the future"));
        assertThat(strict.verify(token(with(claims(), "exp", NOW_S + 1)))).isInstanceOf(Principal.class);
    }

    @Test
    void fractionalNumericDatesAreAccepted() {
        var principal = (Principal) verifier.verify(token(with(claims(), "exp", NOW_S + 60.5)));
        assertThat(principal.expiresAt()).isEqualTo(NOW.plusMillis(60_500));
    }

    @Test
    void nbfWithinTheLeewayIsAccepted() {
        assertThat(verifier.verify(token(with(claims(), "nbf", NOW_S + 30)))).isInstanceOf(Principal.class);
    }

    @Test
    void expiryIsReportedOnlyForAnOtherwiseValidToken() {
        var expired = with(claims(), "exp", NOW_S - 3600);
        assertThat(verifier.verify(token(with(expired, "aud", "https://other.gatehouse.test"))))
                .isEqualTo(new TokenInvalid("aud does not contain the expected audience"));
        assertThat(verifier.verify(token(without(expired, "sub")))).isEqualTo(new TokenInvalid("sub missing or blank"));
    }

    @Test
    void orgIdIsRequiredOnlyWhenConfigured() {
        var requiring = verifier(JwksSource.of(jwks(KEY))).requireOrganization(true).build();
        assertThat(requiring.verify(token())).isEqualTo(new TokenInvalid("org_id missing"));
        assertThat(requiring.verify(token(with(claims(), "org_id", "org_01")))).isInstanceOfSatisfying(Principal.class,
                p -> assertThat(p.organizationId()).contains("org_01"));
        assertThat(verifier.verify(token())).isInstanceOf(Principal.class);
    }

    @Test
    void absentPermissionsAreAnEmptySetAndNullClaimsAreAbsent() {
        var claims = with(with(claims(), "permissions", null), "org_id", null);
        var principal = (Principal) verifier.verify(token(claims));
        assertThat(principal.permissions()).isEqualTo(Set.of());
        assertThat(principal.organizationId()).isEqualTo(Optional.empty());
    }

    @Test
    void platformAdminFalseIsAccepted() {
        assertThat(verifier.verify(token(with(claims(), "platform_admin", false))))
                .isInstanceOfSatisfying(Principal.class, p -> assertThat(p.platformAdmin()).isFalse());
    }
}
