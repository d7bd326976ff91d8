package dev.gatehouse.session.api;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The OIDC userinfo endpoint and RP-initiated logout, over HTTP. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserInfoLogoutTest extends ApiServerTest {

    private static void assertBearerError(HttpResponse<String> response, int status, String error)
            throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"" + error + "\"");
        assertThat(json(response)).containsEntry("error", error);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    private HttpResponse<String> logout(String query) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri("/oauth2/logout?" + query)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // --- userinfo ---

    @Test
    void userinfoAnswersTheClaimsTheScopesGrant() throws Exception {
        String user = userId();
        String accessToken = (String) openSession(webClient(), user).get("accessToken");

        var response = get("/oauth2/userinfo", accessToken);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(json(response)).isEqualTo(Map.of("sub", user, "email", user + "@example.com",
                "email_verified", true, "name", "User " + user,
                "picture_url", "https://cdn.example.com/" + user + ".png"));

        var post = HTTP.send(HttpRequest.newBuilder(uri("/oauth2/userinfo"))
                .header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(json(post)).containsEntry("sub", user);
    }

    @Test
    void userinfoGivesOnlyTheScopedClaims() throws Exception {
        String user = userId();
        String accessToken = (String) openSession(webClient().id(), user, null, List.of("openid", "email"),
                "tokens").get("accessToken");
        assertThat(json(get("/oauth2/userinfo", accessToken))).isEqualTo(Map.of("sub", user,
                "email", user + "@example.com", "email_verified", true));
    }

    @Test
    void aTokenWithoutOpenidIsInsufficientScope() throws Exception {
        String accessToken = (String) openSession(webClient().id(), userId(), null, List.of("profile", "email"),
                "tokens").get("accessToken");
        assertBearerError(get("/oauth2/userinfo", accessToken), 403, "insufficient_scope");
    }

    @Test
    void noTokenIsABareBearerChallenge() throws Exception {
        var response = get("/oauth2/userinfo", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void garbageAndForeignTokensAreInvalidToken() throws Exception {
        assertBearerError(get("/oauth2/userinfo", "garbage"), 401, "invalid_token");
        assertBearerError(get("/oauth2/userinfo", "a.b.c"), 401, "invalid_token");
        // a valid token, but of no session (client_credentials): there is no user to describe
        assertBearerError(get("/oauth2/userinfo", plainServiceToken(API)), 401, "invalid_token");

        var basic = HTTP.send(HttpRequest.newBuilder(uri("/oauth2/userinfo"))
                .header("Authorization", webClient().basic()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertBearerError(basic, 401, "invalid_request");
    }

    @Test
    void aRevokedSessionsTokenIsInvalidToken() throws Exception {
        var session = openSession(webClient(), userId());
        String accessToken = (String) session.get("accessToken");
        assertThat(get("/oauth2/userinfo", accessToken).statusCode()).isEqualTo(200);

        assertThat(delete("/internal/v1/sessions/" + session.get("sessionId"), internalToken()).statusCode())
                .isEqualTo(204);

        assertBearerError(get("/oauth2/userinfo", accessToken), 401, "invalid_token");
    }

    // --- RP-initiated logout ---

    @Test
    void logoutWithAHintRevokesTheSessionAndReturnsToTheRegisteredUriWithState() throws Exception {
        TestClient web = webClient();
        var session = openSession(web, userId());
        String idToken = (String) session.get("idToken");
        assertThat(idToken).isNotNull();

        var response = logout("id_token_hint=" + enc(idToken) + "&post_logout_redirect_uri=" + enc(SIGNED_OUT)
                + "&state=" + enc("st 1/2"));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue(SIGNED_OUT + "?state=st%201%2F2");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(get("/oauth2/userinfo", (String) session.get("accessToken")).statusCode()).isEqualTo(401);
        assertThat(json(refresh((String) session.get("refreshToken"), web))).containsEntry("error", "invalid_grant");
    }

    @Test
    void logoutWithoutStateRedirectsWithoutOne() throws Exception {
        var session = openSession(webClient(), userId());
        var response = logout("id_token_hint=" + enc((String) session.get("idToken"))
                + "&post_logout_redirect_uri=" + enc(SIGNED_OUT));
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue(SIGNED_OUT);
    }

    @Test
    void anUnregisteredPostLogoutUriIsNeverRedirectedTo() throws Exception {
        var session = openSession(webClient(), userId());
        String hint = enc((String) session.get("idToken"));
        for (String target : List.of("https://evil.example.com/", SIGNED_OUT + "/more", SIGNED_OUT + "?x=1",
                CALLBACK)) {
            var response = logout("id_token_hint=" + hint + "&post_logout_redirect_uri=" + enc(target)
                    + "&state=s");
            assertThat(response.statusCode()).as(target).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).isEmpty();
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            assertThat(response.body()).doesNotContain("evil.example.com");
        }
    }

    @Test
    void aForgedHintIsRefusedAndRevokesNothing() throws Exception {
        var session = openSession(webClient(), userId());
        SignedJWT real = SignedJWT.parse((String) session.get("idToken"));
        // same claims and same kid, signed by a key of the attacker's
        var attackerKey = new RSAKeyGenerator(2048).keyID(real.getHeader().getKeyID()).generate();
        var forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(real.getHeader().getKeyID())
                .build(), real.getJWTClaimsSet());
        forged.sign(new RSASSASigner(attackerKey));
        String unsigned = new PlainJWT(real.getJWTClaimsSet()).serialize();

        for (String hint : List.of(forged.serialize(), unsigned, "garbage")) {
            var response = logout("id_token_hint=" + enc(hint) + "&post_logout_redirect_uri=" + enc(SIGNED_OUT)
                    + "&state=s");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).isEmpty();
        }
        assertThat(get("/oauth2/userinfo", (String) session.get("accessToken")).statusCode()).isEqualTo(200);
    }

    @Test
    void aHintOfOneClientWithAnotherClientsIdIsRefused() throws Exception {
        TestClient other = webClient();
        var session = openSession(webClient(), userId());
        var response = logout("id_token_hint=" + enc((String) session.get("idToken")) + "&client_id="
                + enc(other.id()) + "&post_logout_redirect_uri=" + enc(SIGNED_OUT));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(get("/oauth2/userinfo", (String) session.get("accessToken")).statusCode()).isEqualTo(200);
    }

    @Test
    void aMalformedOrRepeatedLogoutQueryIs400AndRevokesNothing() throws Exception {
        var session = openSession(webClient(), userId());
        String hint = enc((String) session.get("idToken"));
        // java.net.URI refuses a bad escape, so this one goes over a raw socket
        try (var socket = new java.net.Socket(server.getHost(), server.getPort())) {
            socket.getOutputStream().write(("GET /oauth2/logout?id_token_hint=%zz&post_logout_redirect_uri="
                    + enc(SIGNED_OUT) + " HTTP/1.1\r\nHost: " + server.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400 ");
            assertThat(answer.toLowerCase(java.util.Locale.ROOT)).doesNotContain("\r\nlocation:");
        }
        for (String query : List.of("id_token_hint=" + hint + "&id_token_hint=" + hint,
                "id_token_hint=" + hint + "&post_logout_redirect_uri=" + enc(SIGNED_OUT) + "&post_logout_redirect_uri="
                        + enc("https://evil.example.com/"))) {
            var response = logout(query);
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Location")).isEmpty();
        }
        assertThat(get("/oauth2/userinfo", (String) session.get("accessToken")).statusCode()).isEqualTo(200);
    }

    @Test
    void logoutWithoutParametersIsASignedOutPage() throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(uri("/oauth2/logout")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).contains("You are signed out.");
    }
}
