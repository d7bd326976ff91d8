package dev.gatehouse.session.oauth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** client_credentials over HTTP, and the token endpoint's client authentication and request rules. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCredentialsGrantTest extends OAuthServerTest {

    private TestClient serviceClient() {
        return register(spec(unique("billing"), "confidential", List.of("client_credentials"),
                List.of("invoices.read", "invoices.write"), List.of("https://api.example.com", "urn:ledger"),
                List.of()));
    }

    @Test
    void issuesAnAudienceRestrictedAccessTokenAndNoRefreshToken() throws Exception {
        TestClient client = serviceClient();
        var response = post("/oauth2/token", form("grant_type", "client_credentials", "scope", "invoices.read",
                "resource", "urn:ledger"), client.basic());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        var body = json(response);
        assertThat(body).containsEntry("token_type", "Bearer").containsEntry("scope", "invoices.read")
                .doesNotContainKey("refresh_token").doesNotContainKey("id_token");
        String token = (String) body.get("access_token");
        assertThat(typ(token)).isEqualTo("at+jwt");

        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSTypeVerifier((header, context) -> { });
        var jwks = JWKSet.parse(get("/.well-known/jwks.json", null).body());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(jwks)));
        var claims = processor.process(token, null);
        assertThat(claims.getSubject()).isEqualTo(client.id());
        assertThat(claims.getAudience()).containsExactly("urn:ledger");
        assertThat(claims.getStringClaim("client_id")).isEqualTo(client.id());
        assertThat(claims.getIssuer()).isEqualTo("http://127.0.0.1:8080");
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getClaim("sid")).isNull();
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
    }

    @Test
    void clientSecretPostWorksAndTwoMethodsAtOnceAreRefused() throws Exception {
        TestClient client = serviceClient();
        var post = post("/oauth2/token", form("grant_type", "client_credentials", "client_id", client.id(),
                "client_secret", client.secret()), null);
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(json(post).get("audience")).isNull();
        assertThat(claims((String) json(post).get("access_token")).getAudience())
                .containsExactly("https://api.example.com", "urn:ledger");

        var both = post("/oauth2/token", form("grant_type", "client_credentials", "client_secret", client.secret()),
                client.basic());
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(json(both)).containsEntry("error", "invalid_request");
    }

    @Test
    void wrongSecretAndUnknownClientGetTheSameInvalidClient() throws Exception {
        TestClient client = serviceClient();
        var wrong = post("/oauth2/token", form("grant_type", "client_credentials"),
                new TestClient(client.id(), "ghcs_wrong").basic());
        var unknown = post("/oauth2/token", form("grant_type", "client_credentials"),
                new TestClient("no-such-client", client.secret()).basic());
        for (var response : List.of(wrong, unknown)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"gatehouse\"");
            assertThat(json(response)).containsEntry("error", "invalid_client");
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        }
        assertThat(wrong.body()).isEqualTo(unknown.body());
    }

    @Test
    void scopeAndAudienceOutsideTheClientsAreRefused() throws Exception {
        TestClient client = serviceClient();
        var scope = post("/oauth2/token", form("grant_type", "client_credentials", "scope", "admin"), client.basic());
        assertThat(scope.statusCode()).isEqualTo(400);
        assertThat(json(scope)).containsEntry("error", "invalid_scope");

        var audience = post("/oauth2/token", form("grant_type", "client_credentials", "resource", "urn:other"),
                client.basic());
        assertThat(audience.statusCode()).isEqualTo(400);
        assertThat(json(audience)).containsEntry("error", "invalid_target");
    }

    @Test
    void aClientWithoutTheGrantIsUnauthorizedAndUnknownGrantsUnsupported() throws Exception {
        TestClient device = register(spec(unique("cli"), "confidential", List.of("device_code"), List.of("openid"),
                List.of("api"), List.of()));
        var refused = post("/oauth2/token", form("grant_type", "client_credentials"), device.basic());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused)).containsEntry("error", "unauthorized_client");

        var password = post("/oauth2/token", form("grant_type", "password", "username", "a", "password", "b"),
                device.basic());
        assertThat(json(password)).containsEntry("error", "unsupported_grant_type");
        var implicit = post("/oauth2/token", form("grant_type", "device_code"), device.basic());
        assertThat(json(implicit)).containsEntry("error", "unsupported_grant_type");
    }

    @Test
    void malformedRepeatedAndOversizedParametersAre400NotErrors() throws Exception {
        TestClient client = serviceClient();
        var repeated = postRaw("/oauth2/token", "grant_type=client_credentials&grant_type=client_credentials",
                client.basic());
        assertThat(repeated.statusCode()).isEqualTo(400);
        assertThat(json(repeated)).containsEntry("error", "invalid_request");

        var badEncoding = postRaw("/oauth2/token", "grant_type=%zz", client.basic());
        assertThat(badEncoding.statusCode()).isEqualTo(400);
        assertThat(json(badEncoding)).containsEntry("error", "invalid_request");

        var huge = postRaw("/oauth2/token", "grant_type=client_credentials&scope=" + "a".repeat(20_000),
                client.basic());
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(json(huge)).containsEntry("error", "invalid_request");

        var missing = postRaw("/oauth2/token", "", client.basic());
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing)).containsEntry("error", "invalid_request");

        var jsonBody = HTTP.send(java.net.http.HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Content-Type", "application/json").header("Authorization", client.basic())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"client_credentials\"}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(jsonBody.statusCode()).isEqualTo(400);
        assertThat(json(jsonBody)).containsEntry("error", "invalid_request");

        var garbageAuth = post("/oauth2/token", form("grant_type", "client_credentials"), "Basic !!!notbase64");
        assertThat(garbageAuth.statusCode()).isEqualTo(401);
    }

    @Test
    void aRotatedSecretStopsWorkingUnlessAnOverlapWasAsked() throws Exception {
        TestClient client = serviceClient();
        String fresh = clients.rotateSecret(client.id(), java.time.Duration.ofMinutes(5)).orElseThrow();
        assertThat(post("/oauth2/token", form("grant_type", "client_credentials"), client.basic()).statusCode())
                .isEqualTo(200);
        assertThat(post("/oauth2/token", form("grant_type", "client_credentials"),
                new TestClient(client.id(), fresh).basic()).statusCode()).isEqualTo(200);

        String newest = clients.rotateSecret(client.id(), java.time.Duration.ZERO).orElseThrow();
        assertThat(post("/oauth2/token", form("grant_type", "client_credentials"),
                new TestClient(client.id(), fresh).basic()).statusCode()).isEqualTo(401);
        assertThat(post("/oauth2/token", form("grant_type", "client_credentials"),
                new TestClient(client.id(), newest).basic()).statusCode()).isEqualTo(200);
    }
}
