package dev.gatehouse.contract.token;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import static dev.gatehouse.contract.token.TestTokens.AUDIENCE;
import static dev.gatehouse.contract.token.TestTokens.ISSUER;
import static dev.gatehouse.contract.token.TestTokens.KEY;
import static dev.gatehouse.contract.token.TestTokens.jwks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A verifier cannot be configured insecurely or incompletely; the error names the option. */
class TokenVerifierBuilderTest {
    private static final JwksSource KEYS = JwksSource.of(jwks(KEY));

    @ParameterizedTest
    @ValueSource(strings = {"none", "HS256", "HS384", "HS512", "RSA-OAEP-256", "EdDSA", "ES256K", "rs256"})
    void insecureOrUnsupportedAlgorithmsAreRefused(String alg) {
        assertThatThrownBy(() -> TokenVerifier.builder().algorithms("RS256", alg))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("algorithms: " + alg + " not allowed");
        assertThatThrownBy(() -> TokenVerifier.builder().algorithms(Set.of(JWSAlgorithm.parse(alg))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void algorithmsMayNotBeEmpty() {
        assertThatThrownBy(() -> TokenVerifier.builder().algorithms()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void issuerAudienceAndOneKeySourceAreRequired() {
        assertThatThrownBy(() -> TokenVerifier.builder().audience(AUDIENCE).jwkSource(KEYS).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("issuer is required");
        assertThatThrownBy(() -> TokenVerifier.builder().issuer(ISSUER).jwkSource(KEYS).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("audience is required");
        assertThatThrownBy(() -> TokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("exactly one of jwksUri and jwkSource is required");
        assertThatThrownBy(() -> TokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).jwkSource(KEYS)
                .jwksUri(URI.create("https://auth.gatehouse.test/jwks.json")).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TokenVerifier.builder().issuer(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("issuer must not be blank");
    }

    @Test
    void theLeewayIsAtMostFiveMinutes() {
        assertThat(TokenVerifier.builder().leeway(Duration.ofMinutes(5))).isNotNull();
        assertThatThrownBy(() -> TokenVerifier.builder().leeway(Duration.ofMinutes(5).plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("leeway");
        assertThatThrownBy(() -> TokenVerifier.builder().leeway(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationsMustBePositiveAndStaleAgeCoverTheTtl() {
        assertThatThrownBy(() -> TokenVerifier.builder().minRefetchInterval(Duration.ZERO))
                .hasMessageStartingWith("minRefetchInterval");
        assertThatThrownBy(() -> TokenVerifier.builder().cacheTtl(Duration.ofSeconds(-1))).hasMessageStartingWith("cacheTtl");
        assertThatThrownBy(() -> TokenVerifier.builder().httpTimeout(Duration.ZERO)).hasMessageStartingWith("httpTimeout");
        assertThatThrownBy(() -> TestTokens.verifier(KEYS).cacheTtl(Duration.ofHours(2)).maxStaleAge(Duration.ofHours(1))
                .build()).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("maxStaleAge");
    }

    @Test
    void theJwksUriMustBeHttp() {
        for (String uri : new String[]{"file:///etc/jwks.json", "/.well-known/jwks.json", "ftp://auth/jwks.json"}) {
            assertThatThrownBy(() -> TokenVerifier.builder().jwksUri(URI.create(uri)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("jwksUri");
        }
        assertThat(TokenVerifier.builder().jwksUri(URI.create("http://127.0.0.1:8080/.well-known/jwks.json"))).isNotNull();
    }

    @Test
    void someTypeMustPass() {
        assertThatThrownBy(() -> TestTokens.verifier(KEYS).acceptedTypes().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("acceptedTypes");
        assertThat(TestTokens.verifier(KEYS).acceptedTypes().acceptMissingType(true).build()).isNotNull();
    }
}
