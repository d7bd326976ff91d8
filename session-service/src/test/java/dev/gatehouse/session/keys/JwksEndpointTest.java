package dev.gatehouse.session.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.devstack.RealServers;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /.well-known/jwks.json over HTTP: public members only, cacheable, conditional. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwksEndpointTest implements RealServers {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    @Inject
    SigningKeys keys;
    @Inject
    TokenSigner signer;

    @Override
    public String serviceName() {
        return "session-service";
    }

    private HttpResponse<String> fetch(String... headers) throws Exception {
        var request = HttpRequest.newBuilder(server.getURI().resolve("/.well-known/jwks.json"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void servesOnlyPublicMembersWithCacheHeaders() throws Exception {
        var response = fetch();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        assertThat(response.headers().firstValue("ETag").orElseThrow()).matches("\"[A-Za-z0-9_-]{22}\"");
        var body = (Map<String, Object>) json.readValue(response.body(), Map.class);
        assertThat(body).containsOnlyKeys("keys");
        var published = (List<Map<String, Object>>) body.get("keys");
        assertThat(published).isNotEmpty();
        for (Map<String, Object> key : published) {
            assertThat(key).containsEntry("kty", "RSA").containsEntry("alg", "RS256").containsEntry("use", "sig")
                    .containsKeys("kid", "n", "e").doesNotContainKeys(PRIVATE_MEMBERS.toArray(String[]::new));
        }
        assertThat(JWKSet.parse(response.body()).getKeys()).noneMatch(JWK::isPrivate)
                .extracting(JWK::getKeyID).contains(signer.activeKid());
    }

    @Test
    void aMatchingIfNoneMatchIs304AndANewKeyChangesTheEtag() throws Exception {
        var first = fetch();
        String etag = first.headers().firstValue("ETag").orElseThrow();

        for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
            var notModified = fetch("If-None-Match", ifNoneMatch);
            assertThat(notModified.statusCode()).as(ifNoneMatch).isEqualTo(304);
            assertThat(notModified.body()).isEmpty();
            assertThat(notModified.headers().firstValue("ETag")).hasValue(etag);
            assertThat(notModified.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        }
        assertThat(fetch("If-None-Match", "\"other\"").statusCode()).isEqualTo(200);

        // the next key is published (public members only) before it signs, under a new ETag
        String kid = signer.activeKid();
        String next = keys.rotateNow();
        var changed = fetch("If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
        assertThat(JWKSet.parse(changed.body()).getKeys()).extracting(JWK::getKeyID).containsExactly(kid, next);
        assertThat(changed.body()).doesNotContain("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"");
        assertThat(signer.activeKid()).isEqualTo(kid);
    }
}
