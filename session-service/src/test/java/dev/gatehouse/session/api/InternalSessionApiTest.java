package dev.gatehouse.session.api;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.contract.token.SessionCookie;
import dev.gatehouse.session.ServerConfig;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The internal session API (identity-service and gateway-edge open, refresh, move and end sessions) and the
 * self-service sessions API (/api/v1/sessions), over HTTP, with the session events they publish to Kafka.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InternalSessionApiTest extends ApiServerTest {
    @Inject
    ServerConfig config;

    private Map<String, Object> browserSession(TestClient web, String userId, String organizationId)
            throws Exception {
        return openSession(web.id(), userId, organizationId, List.of("openid", "profile", "email"), "cookie");
    }

    private java.net.http.HttpResponse<String> refreshCookie(String cookie) throws Exception {
        return postJson("/internal/v1/sessions/refresh", cookie == null ? "{}"
                : JSONObjectUtils.toJSONString(Map.of("cookie", cookie)), internalToken());
    }

    private static String tamper(String cookie, int part) {
        String[] parts = cookie.split("\\.", -1);
        byte[] bytes = new Base64URL(parts[part]).decode();
        bytes[bytes.length / 2] ^= 0x01;
        parts[part] = Base64URL.encode(bytes).toString();
        return String.join(".", parts);
    }

    // --- opening and refreshing browser sessions ---

    @Test
    @SuppressWarnings("unchecked")
    void aBrowserSessionGetsASealedOpaqueCookieAndAnAccessToken() throws Exception {
        TestClient web = webClient();
        String user = userId();
        var response = postJson("/internal/v1/sessions", sessionRequest(user(user, "org_one"), web.id(),
                List.of("openid", "profile", "email", "offline_access"), "cookie"), internalToken());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        var body = json(response);
        String cookie = (String) body.get("cookie");
        String sid = (String) body.get("sessionId");

        assertThat(cookie).hasSizeLessThan(SessionCookie.MAX_LENGTH).matches("[A-Za-z0-9_.-]+");
        String[] parts = cookie.split("\\.", -1);
        assertThat(parts).hasSize(5);
        assertThat(parts[1]).as("dir: no encrypted key").isEmpty();
        var header = JSONObjectUtils.parse(new Base64URL(parts[0]).decodeToString());
        assertThat(header).containsEntry("alg", "dir").containsEntry("enc", "A256GCM").doesNotContainKey("zip");
        assertThatThrownBy(() -> SignedJWT.parse(cookie)).isInstanceOf(ParseException.class);
        assertThat(cookie).doesNotContain(sid).doesNotContain((String) body.get("accessToken"));

        // a browser session has no refresh token: the cookie's handle is the credential
        assertThat(body.get("refreshToken")).isNull();
        var claims = claims((String) body.get("accessToken"));
        assertThat(claims.getSubject()).isEqualTo(user);
        assertThat(claims.getStringClaim("sid")).isEqualTo(sid);
        assertThat(claims.getStringClaim("org_id")).isEqualTo("org_one");
        assertThat(body).containsEntry("expiresIn", 600L);
        assertThat(sid).matches("ses_[0-9a-z]{26}");
        // the cookie opens, with the server's key, to exactly this session and token
        var opened = new SessionCookie.Sealer(config.cookieKeyBytes()).open(cookie).orElseThrow();
        assertThat(opened.sessionId()).isEqualTo(sid);
        assertThat(opened.accessToken()).isEqualTo(body.get("accessToken"));
    }

    @Test
    void refreshWithTheCookieGivesAFreshCookieAndALaterToken() throws Exception {
        var session = browserSession(webClient(), userId(), "org_one");
        String cookie = (String) session.get("cookie");
        var first = claims((String) session.get("accessToken"));
        Thread.sleep(1100);

        var response = refreshCookie(cookie);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var body = json(response);
        assertThat(body).containsEntry("sessionId", session.get("sessionId"));
        assertThat((String) body.get("cookie")).isNotEqualTo(cookie).hasSizeLessThan(SessionCookie.MAX_LENGTH);
        var second = claims((String) body.get("accessToken"));
        assertThat(second.getExpirationTime()).isAfter(first.getExpirationTime());
        assertThat(second.getJWTID()).isNotEqualTo(first.getJWTID());
        assertThat(second.getStringClaim("sid")).isEqualTo(session.get("sessionId"));
        assertThat(second.getStringClaim("org_id")).isEqualTo("org_one");

        // the fresh cookie refreshes in turn
        assertThat(refreshCookie((String) body.get("cookie")).statusCode()).isEqualTo(200);
    }

    @Test
    void aTamperedForgedOrForeignCookieIs401() throws Exception {
        var session = browserSession(webClient(), userId(), null);
        String cookie = (String) session.get("cookie");
        byte[] otherKey = new byte[32];
        new SecureRandom().nextBytes(otherKey);
        var opened = new SessionCookie.Sealer(config.cookieKeyBytes()).open(cookie).orElseThrow();
        // the right key but a guessed handle: the handle is what proves the session
        String wrongHandle = new SessionCookie.Sealer(config.cookieKeyBytes()).seal(new SessionCookie(
                opened.sessionId(), "A".repeat(43), opened.accessToken()));
        // a bearer session has no handle at all
        var bearer = openSession(webClient(), userId());
        String bearerCookie = new SessionCookie.Sealer(config.cookieKeyBytes()).seal(new SessionCookie(
                (String) bearer.get("sessionId"), opened.handle(), (String) bearer.get("accessToken")));

        for (String bad : List.of(tamper(cookie, 3), tamper(cookie, 4), tamper(cookie, 2),
                new SessionCookie.Sealer(otherKey).seal(opened), wrongHandle, bearerCookie, "garbage",
                (String) session.get("accessToken"))) {
            var response = refreshCookie(bad);
            assertProblem(response, 401, "unauthorized");
            assertThat(response.body()).doesNotContain("accessToken");
        }
        assertProblem(refreshCookie(null), 401, "unauthorized");
        // the genuine cookie still works
        assertThat(refreshCookie(cookie).statusCode()).isEqualTo(200);
    }

    @Test
    void anEndedSessionsCookieNoLongerRefreshes() throws Exception {
        var session = browserSession(webClient(), userId(), null);
        String sid = (String) session.get("sessionId");
        assertThat(refreshCookie((String) session.get("cookie")).statusCode()).isEqualTo(200);

        var deleted = delete("/internal/v1/sessions/" + sid, internalToken());
        assertThat(deleted.statusCode()).isEqualTo(204);

        assertProblem(refreshCookie((String) session.get("cookie")), 401, "unauthorized");
        assertThat(get("/oauth2/userinfo", (String) session.get("accessToken")).statusCode()).isEqualTo(401);
        // ending it again, or a session that never was, is no error
        assertThat(delete("/internal/v1/sessions/" + sid, internalToken()).statusCode()).isEqualTo(204);
        assertThat(delete("/internal/v1/sessions/ses_unknown", internalToken()).statusCode()).isEqualTo(204);
    }

    // --- switching organization ---

    @Test
    void switchingOrganizationMintsATokenForTheNewOne() throws Exception {
        var session = browserSession(webClient(), userId(), "org_one");
        String sid = (String) session.get("sessionId");

        var response = postJson("/internal/v1/sessions/" + sid + "/organization", JSONObjectUtils.toJSONString(
                Map.of("organizationId", "org_two", "cookie", session.get("cookie"))), internalToken());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var body = json(response);
        assertThat(claims((String) body.get("accessToken")).getStringClaim("org_id")).isEqualTo("org_two");
        assertThat(body.get("cookie")).isNotNull().isNotEqualTo(session.get("cookie"));
        // the session stays in the new organization on refresh
        var refreshed = json(refreshCookie((String) body.get("cookie")));
        assertThat(claims((String) refreshed.get("accessToken")).getStringClaim("org_id")).isEqualTo("org_two");

        // a bearer session switches without a cookie, and its refresh token follows
        TestClient web = webClient();
        var bearer = openSession(web.id(), userId(), "org_one", USER_SCOPES, "tokens");
        var moved = postJson("/internal/v1/sessions/" + bearer.get("sessionId") + "/organization",
                "{\"organizationId\": \"org_three\"}", internalToken());
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(json(moved).get("cookie")).isNull();
        assertThat(claims((String) json(moved).get("accessToken")).getStringClaim("org_id")).isEqualTo("org_three");
        var viaRefresh = json(refresh((String) bearer.get("refreshToken"), web));
        assertThat(claims((String) viaRefresh.get("access_token")).getStringClaim("org_id")).isEqualTo("org_three");
    }

    @Test
    void switchingRefusesBadOrganizationsForeignCookiesAndEndedSessions() throws Exception {
        TestClient web = webClient();
        var session = browserSession(web, userId(), "org_one");
        var other = browserSession(web, userId(), "org_one");
        String path = "/internal/v1/sessions/" + session.get("sessionId") + "/organization";

        var invalid = assertProblem(postJson(path, "{\"organizationId\": \"org two!\"}", internalToken()), 400,
                "validation-failed");
        assertThat(errorFields(invalid)).containsExactly("organizationId");
        assertProblem(postJson(path, "{}", internalToken()), 400, "validation-failed");
        assertProblem(postJson(path, JSONObjectUtils.toJSONString(Map.of("organizationId", "org_two",
                "cookie", other.get("cookie"))), internalToken()), 401, "unauthorized");
        assertProblem(postJson("/internal/v1/sessions/ses_unknown/organization",
                "{\"organizationId\": \"org_two\"}", internalToken()), 401, "unauthorized");

        delete("/internal/v1/sessions/" + session.get("sessionId"), internalToken());
        assertProblem(postJson(path, "{\"organizationId\": \"org_two\"}", internalToken()), 401, "unauthorized");
    }

    // --- validation and access ---

    @Test
    void invalidSessionRequestsAre400WithFieldErrors() throws Exception {
        TestClient web = webClient();
        var nothing = assertProblem(postJson("/internal/v1/sessions", "{}", internalToken()), 400,
                "validation-failed");
        assertThat(errorFields(nothing)).containsExactlyInAnyOrder("user", "clientId");

        var badUser = Map.<String, Object>of("userId", "bad id!", "email", "not-an-email",
                "pictureUrl", "http://cdn.example.com/a.png", "organizationId", "x".repeat(65));
        var fields = errorFields(assertProblem(postJson("/internal/v1/sessions", sessionRequest(badUser,
                unique("nobody"), null, "sms"), internalToken()), 400, "validation-failed"));
        assertThat(fields).containsExactlyInAnyOrder("user.userId", "user.email", "user.pictureUrl",
                "user.organizationId", "delivery", "clientId");

        assertProblem(postJson("/internal/v1/sessions", sessionRequest(user(userId(), null), web.id(),
                List.of("openid", "admin"), "tokens"), internalToken()), 400, "validation-failed");
        assertProblem(postJson("/internal/v1/sessions", "{\"user\": ", internalToken()), 400, "malformed-request");
    }

    @Test
    void theInternalApiNeedsAServiceTokenWithTheInternalScope() throws Exception {
        TestClient web = webClient();
        String body = sessionRequest(user(userId(), null), web.id(), null, "tokens");
        String userToken = (String) openSession(web, userId()).get("accessToken");
        String plain = plainServiceToken("gatehouse");

        var anonymous = postJson("/internal/v1/sessions", body, null);
        assertProblem(anonymous, 401, "unauthorized");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertProblem(postJson("/internal/v1/sessions", body, "garbage"), 401, "unauthorized");
        assertProblem(postJson("/internal/v1/sessions", body, plain), 403, "forbidden");
        assertProblem(postJson("/internal/v1/sessions", body, userToken), 403, "forbidden");
        assertProblem(postJson("/internal/v1/sessions/refresh", "{\"cookie\": \"x\"}", plain), 403, "forbidden");
        assertProblem(postJson("/internal/v1/sessions/ses_x/organization", "{\"organizationId\": \"o\"}", plain),
                403, "forbidden");
        assertProblem(delete("/internal/v1/sessions/ses_x", plain), 403, "forbidden");
        assertProblem(delete("/internal/v1/sessions/ses_x", null), 401, "unauthorized");
    }

    // --- the user's own sessions ---

    @Test
    @SuppressWarnings("unchecked")
    void aUserListsAndRevokesTheirOwnSessions() throws Exception {
        TestClient web = webClient();
        String user = userId();
        var a = openSession(web, user);
        var b = browserSession(web, user, "org_one");
        var c = openSession(web, user);
        var stranger = openSession(web, userId());
        String token = (String) a.get("accessToken");

        var list = get("/api/v1/sessions", token);
        assertThat(list.statusCode()).isEqualTo(200);
        var data = (List<Map<String, Object>>) json(list).get("data");
        assertThat(data).extracting(s -> s.get("id")).containsExactlyInAnyOrder(a.get("sessionId"),
                b.get("sessionId"), c.get("sessionId"));
        assertThat(data).filteredOn(s -> Boolean.TRUE.equals(s.get("current"))).extracting(s -> s.get("id"))
                .containsExactly(a.get("sessionId"));
        var browser = data.stream().filter(s -> s.get("id").equals(b.get("sessionId"))).findFirst().orElseThrow();
        assertThat(browser).containsEntry("clientId", web.id()).containsEntry("organizationId", "org_one")
                .containsEntry("userAgent", "Mozilla/5.0 (test)").containsEntry("ipAddress", "203.0.113.7")
                .containsKeys("createdAt", "lastSeenAt");

        // someone else's session does not exist, as far as this user can tell
        assertProblem(delete("/api/v1/sessions/" + stranger.get("sessionId"), token), 404, "not-found");
        assertProblem(delete("/api/v1/sessions/ses_unknown", token), 404, "not-found");
        assertThat(get("/oauth2/userinfo", (String) stranger.get("accessToken")).statusCode()).isEqualTo(200);
        // nor may a user list another's
        assertProblem(get("/api/v1/sessions?userId=" + user + "x", token), 403, "forbidden");

        assertThat(delete("/api/v1/sessions/" + b.get("sessionId"), token).statusCode()).isEqualTo(204);
        assertProblem(refreshCookie((String) b.get("cookie")), 401, "unauthorized");
        var after = (List<Map<String, Object>>) json(get("/api/v1/sessions", token)).get("data");
        assertThat(after).extracting(s -> s.get("id")).containsExactlyInAnyOrder(a.get("sessionId"),
                c.get("sessionId"));

        var all = delete("/api/v1/sessions", token);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(json(all)).isEqualTo(Map.of("revoked", 2L));
        assertThat(get("/api/v1/sessions", token).statusCode()).isEqualTo(401);
        assertThat(json(refresh((String) c.get("refreshToken"), web))).containsEntry("error", "invalid_grant");
        assertThat(get("/oauth2/userinfo", (String) stranger.get("accessToken")).statusCode()).isEqualTo(200);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPlatformAdminSeesAndRevokesAnyUsersSessions() throws Exception {
        TestClient web = webClient();
        String user = userId();
        var a = openSession(web, user);
        var b = openSession(web, user);
        String admin = adminToken();

        var list = get("/api/v1/sessions?userId=" + user, admin);
        assertThat(list.statusCode()).isEqualTo(200);
        var data = (List<Map<String, Object>>) json(list).get("data");
        assertThat(data).extracting(s -> s.get("id")).containsExactlyInAnyOrder(a.get("sessionId"),
                b.get("sessionId"));
        assertThat(data).allSatisfy(s -> assertThat(s).containsEntry("current", false));

        assertThat(delete("/api/v1/sessions/" + a.get("sessionId"), admin).statusCode()).isEqualTo(204);
        assertThat(get("/oauth2/userinfo", (String) a.get("accessToken")).statusCode()).isEqualTo(401);

        var all = delete("/api/v1/sessions?userId=" + user, admin);
        assertThat(json(all)).isEqualTo(Map.of("revoked", 1L));
        assertThat(get("/oauth2/userinfo", (String) b.get("accessToken")).statusCode()).isEqualTo(401);
        // an empty list is still {data, page}
        var empty = json(get("/api/v1/sessions?userId=" + user, admin));
        assertThat(empty).containsEntry("data", List.of()).containsKey("page");
        assertThat((Map<String, Object>) empty.get("page")).containsEntry("next", null);
    }

    @Test
    void theSessionsApiNeedsAUserOrAnAdmin() throws Exception {
        var anonymous = get("/api/v1/sessions", null);
        assertProblem(anonymous, 401, "unauthorized");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        String service = plainServiceToken("gatehouse");
        assertProblem(get("/api/v1/sessions", service), 403, "forbidden");
        assertProblem(get("/api/v1/sessions?userId=usr_1", service), 403, "forbidden");
        assertProblem(delete("/api/v1/sessions", service), 403, "forbidden");
        // a user token for another audience is not a Gatehouse API token
        TestClient apiOnly = register(clientSpec(unique("web"), "confidential",
                List.of("authorization_code", "refresh_token"), USER_SCOPES, List.of(API), List.of(CALLBACK),
                List.of(), null, null));
        String foreign = (String) openSession(apiOnly, userId()).get("accessToken");
        assertProblem(get("/api/v1/sessions", foreign), 401, "unauthorized");
    }

    // --- events ---

    @Test
    @SuppressWarnings("unchecked")
    void openingAndRevokingASessionPublishSessionCreatedAndSessionRevoked() throws Exception {
        TestClient web = webClient();
        String user = userId();
        var session = openSession(web.id(), user, "org_events", USER_SCOPES, "tokens");
        String sid = (String) session.get("sessionId");
        assertThat(delete("/internal/v1/sessions/" + sid, internalToken()).statusCode()).isEqualTo(204);

        var envelopes = consume(sid, 2);
        assertThat(envelopes).extracting(e -> e.get("type")).containsExactly("SessionCreated", "SessionRevoked");
        var created = envelopes.get(0);
        assertThat(created).containsEntry("version", 1L).containsEntry("tenantId", "org_events")
                .containsKeys("id", "occurredAt");
        assertThat((Map<String, Object>) created.get("payload")).containsEntry("sessionId", sid)
                .containsEntry("userId", user).containsEntry("clientId", web.id())
                .containsEntry("organizationId", "org_events").containsKey("createdAt");
        var revoked = envelopes.get(1);
        assertThat(revoked).containsEntry("version", 1L).containsEntry("tenantId", "org_events");
        assertThat((Map<String, Object>) revoked.get("payload")).containsEntry("sessionId", sid)
                .containsEntry("userId", user).containsEntry("reason", "sign_out")
                .containsKeys("revokedAt", "tokensExpireBy");
        assertThat(created.get("id")).isNotEqualTo(revoked.get("id"));
    }

    /** The first {@code count} envelopes keyed {@code key} on the session topic, in order. */
    private List<Map<String, Object>> consume(String key, int count) throws Exception {
        var props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.getApplicationContext()
                .getProperty("kafka.bootstrap.servers", String.class).orElseThrow());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Map<String, Object>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.SESSION_SESSION.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && found.size() < count) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        found.add(JSONObjectUtils.parse(record.value()));
                    }
                }
            }
        }
        assertThat(found).as("events keyed " + key + " on " + Topics.SESSION_SESSION.name()).hasSize(count);
        return found;
    }
}
