package dev.gatehouse.session.api;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The client admin API (/api/v1/clients) over HTTP: who may call it, and what each operation does. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientAdminApiTest extends ApiServerTest {
    private String admin;

    @BeforeAll
    void obtainAnAdminToken() throws Exception {
        admin = adminToken();
    }

    /** A confidential client_credentials service, as JSON. */
    private static Map<String, Object> serviceSpec(String id) {
        Map<String, Object> spec = new LinkedHashMap<>();
        if (id != null) {
            spec.put("clientId", id);
        }
        spec.put("type", "confidential");
        spec.put("displayName", "Billing " + id);
        spec.put("grantTypes", List.of("client_credentials"));
        spec.put("scopes", List.of("invoices.read"));
        spec.put("audiences", List.of(API));
        return spec;
    }

    /** A web app that signs users in. */
    private static Map<String, Object> webSpec(String id, String type) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("clientId", id);
        spec.put("type", type);
        spec.put("displayName", "Web " + id);
        spec.put("redirectUris", List.of(CALLBACK, "http://127.0.0.1/callback", "com.example.app:/oauth"));
        spec.put("postLogoutRedirectUris", List.of(SIGNED_OUT));
        spec.put("grantTypes", List.of("authorization_code", "refresh_token"));
        spec.put("scopes", USER_SCOPES);
        spec.put("audiences", List.of(API));
        return spec;
    }

    private static String toJson(Map<String, Object> spec) {
        return JSONObjectUtils.toJSONString(spec);
    }

    private HttpResponse<String> create(Map<String, Object> spec) throws Exception {
        return postJson("/api/v1/clients", toJson(spec), admin);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> created(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> clientOf(Map<String, Object> withSecret) {
        return (Map<String, Object>) withSecret.get("client");
    }

    private HttpResponse<String> tokenFor(String clientId, String secret) throws Exception {
        return post("/oauth2/token", form("grant_type", "client_credentials"),
                new TestClient(clientId, secret).basic());
    }

    // --- who may call it ---

    @Test
    void onlyPlatformAdminsMayCallIt() throws Exception {
        String id = unique("rbac");
        assertThat(create(serviceSpec(id)).statusCode()).isEqualTo(201);
        String body = toJson(serviceSpec(id));
        String userToken = (String) openSession(webClient(), userId()).get("accessToken");
        String nonAdmin = plainServiceToken("gatehouse");
        String otherAudience = plainServiceToken(API);

        record Call(String method, String path, String body) {
        }
        var calls = List.of(new Call("POST", "/api/v1/clients", toJson(serviceSpec(unique("rbac")))),
                new Call("GET", "/api/v1/clients", null), new Call("GET", "/api/v1/clients/" + id, null),
                new Call("PUT", "/api/v1/clients/" + id, body), new Call("POST", "/api/v1/clients/" + id + "/secret",
                        "{}"), new Call("DELETE", "/api/v1/clients/" + id, null));
        for (Call call : calls) {
            String what = call.method() + " " + call.path();
            var anonymous = send(call.method(), call.path(), call.body(), null);
            assertProblem(anonymous, 401, "unauthorized");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(what).hasValue("Bearer");

            var wrongAudience = send(call.method(), call.path(), call.body(), otherAudience);
            assertProblem(wrongAudience, 401, "unauthorized");
            assertThat(wrongAudience.headers().firstValue("WWW-Authenticate")).as(what)
                    .hasValue("Bearer error=\"invalid_token\"");

            assertProblem(send(call.method(), call.path(), call.body(), "garbage"), 401, "unauthorized");
            assertProblem(send(call.method(), call.path(), call.body(), nonAdmin), 403, "forbidden");
            assertProblem(send(call.method(), call.path(), call.body(), userToken), 403, "forbidden");
        }
        // nothing above changed the client
        assertThat(get("/api/v1/clients/" + id, admin).statusCode()).isEqualTo(200);
        assertThat(clients.findUncached(id)).isPresent();
    }

    @Test
    void aPlatformAdminUsersSessionTokenIsAnAdminToken() throws Exception {
        var response = postJson("/internal/v1/sessions", sessionRequest(
                Map.of("userId", userId(), "platformAdmin", true), webClient().id(), List.of("openid"), "tokens"),
                internalToken());
        String token = (String) json(response).get("accessToken");
        assertThat(get("/api/v1/clients?limit=1", token).statusCode()).isEqualTo(200);
    }

    // --- create and read ---

    @Test
    void creatingAConfidentialClientShowsItsSecretOnceAndNeverAgain() throws Exception {
        String id = unique("billing");
        var response = create(serviceSpec(id));
        var body = created(response);
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/clients/" + id);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        String secret = (String) body.get("clientSecret");
        assertThat(secret).startsWith("ghcs_").hasSizeGreaterThan(30);
        assertThat(clientOf(body)).containsEntry("clientId", id).containsEntry("type", "confidential")
                .containsEntry("source", "api").containsEntry("grantTypes", List.of("client_credentials"))
                .containsEntry("audiences", List.of(API)).containsEntry("platformAdmin", false)
                .containsEntry("accessTokenTtlSeconds", 600L);

        // the secret works
        var token = tokenFor(id, secret);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);

        // and no later answer carries it or its hash, in any encoding
        byte[] hash = clients.findUncached(id).orElseThrow().secretHash();
        List<String> forbidden = List.of(secret, secret.substring(5), Base64.getEncoder().encodeToString(hash),
                Base64.getUrlEncoder().withoutPadding().encodeToString(hash), HexFormat.of().formatHex(hash));
        var read = get("/api/v1/clients/" + id, admin);
        var list = get("/api/v1/clients?limit=200", admin);
        var updated = send("PUT", "/api/v1/clients/" + id, toJson(serviceSpec(id)), admin);
        for (var later : List.of(read, list, updated)) {
            assertThat(later.statusCode()).isEqualTo(200);
            for (String value : forbidden) {
                assertThat(later.body()).doesNotContain(value);
            }
            assertThat(later.body()).doesNotContainIgnoringCase("secretHash").doesNotContain("clientSecret");
        }
        assertThat(json(read)).containsEntry("clientId", id).doesNotContainKey("secret");
    }

    @Test
    void aGeneratedIdIsUsedWhenNoneIsGiven() throws Exception {
        var body = created(create(serviceSpec(null)));
        assertThat((String) clientOf(body).get("clientId")).matches("cl_[A-Za-z0-9_-]+");
    }

    @Test
    void creatingAPublicClientGivesNoSecret() throws Exception {
        String id = unique("spa");
        var body = created(create(webSpec(id, "public")));
        assertThat(body.get("clientSecret")).isNull();
        assertThat(clientOf(body)).containsEntry("type", "public")
                .containsEntry("redirectUris", List.of(CALLBACK, "http://127.0.0.1/callback", "com.example.app:/oauth"))
                .containsEntry("postLogoutRedirectUris", List.of(SIGNED_OUT))
                .containsEntry("grantTypes", List.of("authorization_code", "refresh_token"));
        assertThat(clients.findUncached(id).orElseThrow().secretHash()).isNull();
    }

    @Test
    void invalidClientsAre400WithEveryFieldError() throws Exception {
        var spec = webSpec(unique("bad"), "confidential");
        spec.put("redirectUris", List.of("http://app.example.com/cb", "https://app.example.com/cb#frag",
                "javascript:alert(1)"));
        spec.put("postLogoutRedirectUris", List.of("data:text/html,hi"));
        spec.put("grantTypes", List.of("authorization_code", "password"));
        var problem = assertProblem(create(spec), 400, "validation-failed");
        assertThat(errorFields(problem)).contains("redirectUris[0]", "redirectUris[1]", "redirectUris[2]",
                "postLogoutRedirectUris[0]", "grantTypes");
        assertThat(errors(problem)).anySatisfy(e -> assertThat((String) e.get("message")).contains("unknown grant"
                + " password"));
        assertThat(errors(problem)).anySatisfy(e -> assertThat(e).containsEntry("field", "redirectUris[0]")
                .containsEntry("message", "http is only allowed for loopback addresses (127.0.0.1, [::1], localhost)"));
        assertThat(errors(problem)).anySatisfy(e -> assertThat(e).containsEntry("field", "redirectUris[1]")
                .containsEntry("message", "must not have a fragment"));
        assertThat(errors(problem)).anySatisfy(e -> assertThat(e).containsEntry("field", "redirectUris[2]")
                .containsEntry("message", "scheme javascript is not allowed"));

        var noAudience = serviceSpec(unique("bad"));
        noAudience.remove("audiences");
        assertThat(errors(assertProblem(create(noAudience), 400, "validation-failed"))).anySatisfy(e ->
                assertThat(e).containsEntry("field", "audiences")
                        .containsEntry("message", "client_credentials needs at least one audience"));

        var publicService = serviceSpec(unique("bad"));
        publicService.put("type", "public");
        assertThat(errors(assertProblem(create(publicService), 400, "validation-failed"))).anySatisfy(e ->
                assertThat(e).containsEntry("field", "grantTypes")
                        .containsEntry("message", "a public client cannot use client_credentials"));

        var nothing = assertProblem(postJson("/api/v1/clients", "{}", admin), 400, "validation-failed");
        assertThat(errorFields(nothing)).contains("type", "displayName", "grantTypes");

        var badId = serviceSpec("a b");
        assertThat(errorFields(assertProblem(create(badId), 400, "validation-failed"))).contains("clientId");
        assertThat(clients.findUncached("a b")).isEmpty();
    }

    @Test
    void aTakenIdIsAConflict() throws Exception {
        String id = unique("dup");
        created(create(serviceSpec(id)));
        var again = create(webSpec(id, "public"));
        assertProblem(again, 409, "conflict");
        assertThat(again.body()).doesNotContain("ghcs_");
        assertThat(clients.findUncached(id).orElseThrow().isPublic()).isFalse();
    }

    @Test
    void malformedJsonIs400ProblemNot500() throws Exception {
        for (String body : List.of("{not json", "[]", "{\"type\": \"confidential\", \"grantTypes\": \"x\"}",
                "{\"clientId\": {\"a\": 1}}", "{\"accessTokenTtlSeconds\": \"soon\"}")) {
            var response = postJson("/api/v1/clients", body, admin);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(body).hasValue("application/problem+json");
            assertThat(response.body()).as(body).doesNotContain("Exception").doesNotContain("dev.gatehouse");
        }
    }

    @Test
    void readingAnUnknownClientIs404() throws Exception {
        assertProblem(get("/api/v1/clients/" + unique("nobody"), admin), 404, "not-found");
        assertProblem(get("/api/v1/clients/%20%27or%201=1", admin), 404, "not-found");
    }

    // --- list ---

    @Test
    @SuppressWarnings("unchecked")
    void listPagesByIdAcrossThreePages() throws Exception {
        String prefix = unique("page");
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(prefix + "-" + i);
            created(create(serviceSpec(prefix + "-" + i)));
        }
        // the database's order (its collation, not Java's String order)
        List<String> all = clients.list(null, 10_000).stream().map(c -> c.clientId()).toList();
        int total = all.size();
        int limit = Math.max(2, (total + 2) / 3);

        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            var response = get("/api/v1/clients?limit=" + limit + (after == null ? "" : "&after=" + enc(after)),
                    admin);
            assertThat(response.statusCode()).isEqualTo(200);
            var body = json(response);
            assertThat(body).containsOnlyKeys("data", "page");
            var page = (Map<String, Object>) body.get("page");
            assertThat(page).containsEntry("limit", (long) limit).containsKey("next");
            var data = (List<Map<String, Object>>) body.get("data");
            assertThat(data).hasSizeLessThanOrEqualTo(limit);
            data.forEach(c -> seen.add((String) c.get("clientId")));
            after = (String) page.get("next");
            pages++;
            assertThat(pages).isLessThanOrEqualTo(3);
        } while (after != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(all).containsAll(mine);

        assertProblem(get("/api/v1/clients?limit=0", admin), 400, "validation-failed");
        assertProblem(get("/api/v1/clients?limit=201", admin), 400, "validation-failed");
    }

    // --- update ---

    @Test
    void updateReplacesTheSettingsAndTakesEffectAtOnce() throws Exception {
        String id = unique("upd");
        var original = created(create(serviceSpec(id)));
        String secret = (String) original.get("clientSecret");
        assertThat(tokenFor(id, secret).statusCode()).isEqualTo(200);

        var spec = serviceSpec(id);
        spec.put("displayName", "Billing v2");
        spec.put("audiences", List.of("urn:ledger", API));
        spec.put("scopes", List.of("invoices.read", "invoices.write"));
        spec.put("accessTokenTtlSeconds", 120);
        var updated = send("PUT", "/api/v1/clients/" + id, toJson(spec), admin);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(json(updated)).containsEntry("displayName", "Billing v2")
                .containsEntry("audiences", List.of("urn:ledger", API))
                .containsEntry("scopes", List.of("invoices.read", "invoices.write"))
                .containsEntry("accessTokenTtlSeconds", 120L)
                .containsEntry("createdAt", clientOf(original).get("createdAt"));
        assertThat(json(updated).get("updatedAt")).isNotEqualTo(clientOf(original).get("updatedAt"));
        assertThat(json(get("/api/v1/clients/" + id, admin))).isEqualTo(json(updated));

        // the token endpoint sees the new settings, and the secret stayed
        var token = tokenFor(id, secret);
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(json(token)).containsEntry("expires_in", 120L)
                .containsEntry("scope", "invoices.read invoices.write");
        assertThat(claims((String) json(token).get("access_token")).getAudience())
                .containsExactly("urn:ledger", API);

        // removing the grant stops it at once
        spec.put("grantTypes", List.of("authorization_code"));
        spec.put("redirectUris", List.of(CALLBACK));
        spec.remove("audiences");
        assertThat(send("PUT", "/api/v1/clients/" + id, toJson(spec), admin).statusCode()).isEqualTo(200);
        assertThat(json(tokenFor(id, secret))).containsEntry("error", "unauthorized_client");
    }

    @Test
    void updateCannotChangeTheTypeOrTheIdAndValidates() throws Exception {
        String id = unique("upd");
        created(create(serviceSpec(id)));

        var typeChange = webSpec(id, "public");
        assertProblem(send("PUT", "/api/v1/clients/" + id, toJson(typeChange), admin), 409, "conflict");

        var idChange = serviceSpec(unique("other"));
        assertThat(errorFields(assertProblem(send("PUT", "/api/v1/clients/" + id, toJson(idChange), admin), 400,
                "validation-failed"))).containsExactly("clientId");

        var invalid = serviceSpec(id);
        invalid.put("redirectUris", List.of("javascript:alert(1)"));
        assertThat(errorFields(assertProblem(send("PUT", "/api/v1/clients/" + id, toJson(invalid), admin), 400,
                "validation-failed"))).contains("redirectUris[0]");

        assertProblem(send("PUT", "/api/v1/clients/" + unique("nobody"), toJson(serviceSpec(null)), admin), 404,
                "not-found");
        assertThat(clients.findUncached(id).orElseThrow().displayName()).isEqualTo("Billing " + id);
    }

    // --- rotate ---

    @Test
    void rotatingTheSecretRetiresTheOldOneUnlessAnOverlapIsAsked() throws Exception {
        String id = unique("rot");
        String first = (String) created(create(serviceSpec(id))).get("clientSecret");

        var rotated = postJson("/api/v1/clients/" + id + "/secret", "{}", admin);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String second = (String) json(rotated).get("clientSecret");
        assertThat(second).startsWith("ghcs_").isNotEqualTo(first);
        assertThat(clientOf(json(rotated))).containsEntry("clientId", id);
        assertThat(tokenFor(id, first).statusCode()).isEqualTo(401);
        assertThat(tokenFor(id, second).statusCode()).isEqualTo(200);

        var overlapping = postJson("/api/v1/clients/" + id + "/secret", "{\"overlapSeconds\": 300}", admin);
        assertThat(overlapping.statusCode()).isEqualTo(200);
        String third = (String) json(overlapping).get("clientSecret");
        assertThat(clientOf(json(overlapping)).get("previousSecretExpiresAt")).isNotNull();
        assertThat(tokenFor(id, second).statusCode()).isEqualTo(200);
        assertThat(tokenFor(id, third).statusCode()).isEqualTo(200);
        assertThat(tokenFor(id, first).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/clients/" + id, admin).body()).doesNotContain(third).doesNotContain(second);

        assertThat(errorFields(assertProblem(postJson("/api/v1/clients/" + id + "/secret",
                "{\"overlapSeconds\": -1}", admin), 400, "validation-failed"))).containsExactly("overlapSeconds");
        assertProblem(postJson("/api/v1/clients/" + id + "/secret", "{\"overlapSeconds\": 604801}", admin), 400,
                "validation-failed");
        assertProblem(postJson("/api/v1/clients/" + unique("nobody") + "/secret", "{}", admin), 404, "not-found");

        String spa = unique("spa");
        created(create(webSpec(spa, "public")));
        assertProblem(postJson("/api/v1/clients/" + spa + "/secret", "{}", admin), 409, "conflict");
    }

    // --- delete ---

    @Test
    void deleteRemovesTheClientAndRevokesItsSessions() throws Exception {
        String id = unique("gone");
        String secret = (String) created(create(webSpec(id, "confidential"))).get("clientSecret");
        var session = openSession(id, userId(), null, USER_SCOPES, "tokens");
        String accessToken = (String) session.get("accessToken");
        TestClient rs = resourceServer(API);
        assertThat(json(introspect(accessToken, rs))).containsEntry("active", true);

        var deleted = delete("/api/v1/clients/" + id, admin);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();

        assertProblem(get("/api/v1/clients/" + id, admin), 404, "not-found");
        assertThat(json(introspect(accessToken, rs))).isEqualTo(Map.of("active", false));
        assertThat(get("/oauth2/userinfo", accessToken).statusCode()).isEqualTo(401);
        assertThat(json(refresh((String) session.get("refreshToken"), new TestClient(id, secret))))
                .containsEntry("error", "invalid_client");
        assertProblem(delete("/api/v1/clients/" + id, admin), 404, "not-found");
        // the id can be registered afresh
        created(create(serviceSpec(id)));
    }

    @Test
    void theWrongContentTypeIsAProblemNot500() throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(uri("/api/v1/clients"))
                .header("Content-Type", "text/plain").header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.ofString(toJson(serviceSpec(unique("txt"))))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
}
