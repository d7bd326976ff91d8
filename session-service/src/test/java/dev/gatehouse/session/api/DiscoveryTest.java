package dev.gatehouse.session.api;

import dev.gatehouse.devstack.TestServers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** OIDC discovery, RFC 8414 metadata and seed 002's auth-config, as a client fetches them. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscoveryTest extends ApiServerTest {
    private static final String ISSUER = "https://login.example.test";

    @Override
    public Map<String, String> getProperties() {
        var properties = super.getProperties();
        properties.put("gatehouse.session.issuer", ISSUER);
        properties.put("gatehouse.session.auth-config.client-id", "flux-cli");
        properties.put("gatehouse.session.auth-config.scopes", "openid,offline_access");
        properties.put("gatehouse.session.auth-config.audience", "https://flux.example.test/api");
        properties.put("gatehouse.session.auth-config.platform-base-url", "https://flux.example.test");
        return properties;
    }

    @Test
    @SuppressWarnings("unchecked")
    void bothMetadataDocumentsAdvertiseExactlyWhatIsImplemented() throws Exception {
        var oidc = get("/.well-known/openid-configuration", null);
        var oauth = get("/.well-known/oauth-authorization-server", null);
        for (var response : List.of(oidc, oauth)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
            var metadata = json(response);
            assertThat(metadata).containsEntry("issuer", ISSUER)
                    .containsEntry("authorization_endpoint", ISSUER + "/oauth2/authorize")
                    .containsEntry("token_endpoint", ISSUER + "/oauth2/token")
                    .containsEntry("device_authorization_endpoint", ISSUER + "/oauth2/device_authorization")
                    .containsEntry("jwks_uri", ISSUER + "/.well-known/jwks.json")
                    .containsEntry("userinfo_endpoint", ISSUER + "/oauth2/userinfo")
                    .containsEntry("revocation_endpoint", ISSUER + "/oauth2/revoke")
                    .containsEntry("introspection_endpoint", ISSUER + "/oauth2/introspect")
                    .containsEntry("end_session_endpoint", ISSUER + "/oauth2/logout")
                    .containsEntry("code_challenge_methods_supported", List.of("S256"))
                    .containsEntry("response_types_supported", List.of("code"))
                    .containsEntry("response_modes_supported", List.of("query"))
                    .containsEntry("authorization_response_iss_parameter_supported", true)
                    .containsEntry("request_parameter_supported", false)
                    .containsEntry("request_uri_parameter_supported", false)
                    .containsEntry("introspection_endpoint_auth_methods_supported",
                            List.of("client_secret_basic", "client_secret_post"));
            assertThat((List<Object>) metadata.get("grant_types_supported")).containsExactlyInAnyOrder(
                    "authorization_code", "refresh_token", "client_credentials",
                    "urn:ietf:params:oauth:grant-type:device_code");
            // every advertised endpoint lives under the issuer
            metadata.forEach((key, value) -> {
                if (key.endsWith("_endpoint") || key.equals("jwks_uri")) {
                    assertThat((String) value).as(key).startsWith(ISSUER + "/");
                }
            });
        }
        assertThat(oidc.body()).isEqualTo(oauth.body());
    }

    @Test
    void theAdvertisedEndpointsAreServedHere() throws Exception {
        var metadata = json(get("/.well-known/openid-configuration", null));
        String jwksPath = ((String) metadata.get("jwks_uri")).substring(ISSUER.length());
        assertThat(get(jwksPath, null).statusCode()).isEqualTo(200);
        for (String key : List.of("token_endpoint", "revocation_endpoint", "introspection_endpoint",
                "device_authorization_endpoint")) {
            String path = ((String) metadata.get(key)).substring(ISSUER.length());
            // a POST endpoint that exists answers an unauthenticated form request with an OAuth error, not 404
            var response = post(path, form("token", "x"), null);
            assertThat(response.statusCode()).as(key).isIn(400, 401);
            assertThat(json(response)).as(key).containsKey("error");
        }
    }

    @Test
    void authConfigHasExactlyTheSeedsSevenFieldsInOrder() throws Exception {
        var response = get("/.well-known/auth-config", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        var body = json(response);
        assertThat(new ArrayList<>(body.keySet())).containsExactly("auth_provider", "device_authorization_endpoint",
                "token_endpoint", "client_id", "scopes", "audience", "platform_base_url");
        // order on the wire, independent of how the parser keeps keys
        int last = -1;
        for (String field : body.keySet()) {
            int at = response.body().indexOf("\"" + field + "\"");
            assertThat(at).as(field).isGreaterThan(last);
            last = at;
        }
        assertThat(body).isEqualTo(Map.of(
                "auth_provider", "workos",
                "device_authorization_endpoint", ISSUER + "/oauth2/device_authorization",
                "token_endpoint", ISSUER + "/oauth2/token",
                "client_id", "flux-cli",
                "scopes", List.of("openid", "offline_access"),
                "audience", "https://flux.example.test/api",
                "platform_base_url", "https://flux.example.test"));
    }

    @Test
    void authConfigIs404ProblemJsonWhenNotConfigured() throws Exception {
        Map<String, Object> properties = new HashMap<>(TestServers.get().micronautProperties(serviceName()));
        properties.put("micronaut.server.port", -1);
        // only part of it: still not usable by an SDK
        properties.put("gatehouse.session.auth-config.client-id", "flux-cli");
        try (EmbeddedServer bare = ApplicationContext.run(EmbeddedServer.class, properties)) {
            var response = HTTP.send(HttpRequest.newBuilder(bare.getURI().resolve("/.well-known/auth-config"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            var problem = assertProblem(response, 404, "not-found");
            assertThat((String) problem.get("detail")).contains("gatehouse.session.auth-config");
            // the rest of discovery does not depend on it
            var metadata = HTTP.send(HttpRequest.newBuilder(bare.getURI().resolve(
                    "/.well-known/openid-configuration")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metadata.statusCode()).isEqualTo(200);
        }
    }
}
