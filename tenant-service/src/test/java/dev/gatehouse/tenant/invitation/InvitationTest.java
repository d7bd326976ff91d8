package dev.gatehouse.tenant.invitation;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.tenant.support.Api;
import dev.gatehouse.tenant.support.KafkaEvents;
import dev.gatehouse.tenant.support.TenantServers;
import dev.gatehouse.tenant.support.TestIssuer;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Invitations: a signed, self-describing, single-use token; tampering, reuse, expiry and revocation refused. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("unchecked")
class InvitationTest implements TenantServers {
    private static final TestIssuer ISSUER = TestIssuer.get();
    private static final String SERVICE = ISSUER.service();

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    @Inject
    InvitationTokens tokens;
    private DataSource dataSource;
    private Api api;
    private String org;
    private String admin;

    @Inject
    void dataSource(DataSource transactionAware) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(transactionAware);
    }

    @BeforeAll
    void organizationWithAnAdmin() {
        api = new Api(server.getURI(), json);
        String adminUser = unique("usr_admin_");
        admin = ISSUER.user(adminUser);
        org = api.post("/api/v1/organizations", admin, "{\"slug\":\"" + unique("inv-") + "\",\"displayName\":\"Acme\"}")
                .status(201).string("id");
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private String path(String rest) {
        return "/api/v1/organizations/" + org + rest;
    }

    /** Invites {@code email}; returns the answer's map (invitation + token). */
    private Map<String, Object> invite(String email, String role) {
        return api.post(path("/invitations"), admin, "{\"email\":\"" + email + "\""
                + (role == null ? "" : ",\"role\":\"" + role + "\"") + "}").status(201).map();
    }

    private static String token(Map<String, Object> invited) {
        return (String) invited.get("token");
    }

    private static String id(Map<String, Object> invited) {
        return (String) ((Map<String, Object>) invited.get("invitation")).get("id");
    }

    private Api.Reply accept(String token, String userId, String email) {
        return api.post("/internal/v1/invitations/accept", SERVICE, "{\"token\":\"" + token + "\",\"userId\":\""
                + userId + "\",\"email\":\"" + email + "\"}");
    }

    @Test
    void anInvitationIsSelfDescribingAndUsableOnce() {
        String email = unique("alice") + "@example.com";
        var invited = invite(email.toUpperCase(), "admin");
        var invitation = (Map<String, Object>) invited.get("invitation");
        assertThat(invitation).containsEntry("email", email).containsEntry("role", "admin")
                .containsEntry("type", "admin").containsEntry("status", "pending").containsKey("expiresAt");
        String token = token(invited);

        // the event identity-service emails from
        var event = new KafkaEvents(server.getApplicationContext().getProperty("kafka.bootstrap.servers", String.class)
                .orElseThrow(), json).await(Topics.TENANT_INVITATION, id(invited), 1).get(0);
        assertThat(event.type()).isEqualTo("InvitationCreated");
        assertThat(event.payload()).containsEntry("email", email).containsEntry("organizationName", "Acme")
                .containsEntry("type", "admin").containsEntry("role", "admin").containsEntry("token", token);

        // the type comes from the token, never from the client
        assertThat(api.post("/internal/v1/invitations/inspect", SERVICE, "{\"token\":\"" + token + "\"}").status(200)
                .map()).containsEntry("type", "admin").containsEntry("organizationId", org)
                .containsEntry("email", email);

        String user = unique("usr_alice_");
        accept(token, user, "someone-else@example.com").problem(403, "forbidden");
        var accepted = accept(token, user, email.toUpperCase()).status(200).map();
        assertThat(accepted).containsEntry("organizationId", org).containsEntry("role", "admin")
                .containsEntry("type", "admin");
        var member = api.get(path("/members/" + user), admin).status(200).map();
        assertThat(member.get("roles")).isEqualTo(List.of("admin"));
        assertThat(api.get(path("/invitations/" + id(invited)), admin).map()).containsEntry("status", "accepted")
                .containsEntry("acceptedBy", user);

        // single use, whoever tries again
        accept(token, user, email).problem(409, "conflict");
        accept(token, unique("usr_mallory_"), email).problem(409, "conflict");
        api.post(path("/invitations/" + id(invited) + "/resend"), admin, null).problem(409, "conflict");
        api.delete(path("/invitations/" + id(invited)), admin).problem(409, "conflict");
    }

    @Test
    void tamperedTokensAreRefused() throws Exception {
        String email = unique("bob") + "@example.com";
        String token = token(invite(email, "viewer"));
        String[] parts = token.split("\\.");
        String user = unique("usr_bob_");

        // a flipped signature character
        char last = parts[2].charAt(5);
        String badSignature = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 5) + (last == 'A' ? 'B' : 'A')
                + parts[2].substring(6);
        // the role raised to admin under the original signature
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"role\":\"viewer\"", "\"role\":\"admin\"").replace("\"type\":\"member\"", "\"type\":\"admin\"");
        String raised = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        // the same claims signed with another key
        var claims = SignedJWT.parse(token).getJWTClaimsSet();
        var forged = new SignedJWT(SignedJWT.parse(token).getHeader(), claims);
        forged.sign(new MACSigner(new byte[32]));
        // unsigned
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"gatehouse-invitation+jwt\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".";

        for (String bad : List.of(badSignature, raised, forged.serialize(), unsigned, "garbage", parts[0] + "." + parts[1])) {
            var refused = accept(bad, user, email).problem(400, "validation-failed");
            assertThat(refused.body()).contains("\"field\":\"token\"");
        }
        // still unused: the real one works
        accept(token, user, email).status(200);
        assertThat(api.get(path("/members/" + user), admin).map().get("roles")).isEqualTo(List.of("viewer"));
    }

    @Test
    void expiredInvitationsAreRefused() throws Exception {
        String email = unique("carol") + "@example.com";
        var invited = invite(email, null);
        String id = id(invited);
        String nonce;
        try (Connection c = dataSource.getConnection(); var s = c.prepareStatement(
                "select nonce from invitation where id = ?")) {
            s.setString(1, id);
            var rs = s.executeQuery();
            rs.next();
            nonce = rs.getString(1);
        }
        // a correctly signed token whose exp has passed
        String expired = tokens.sign(new InvitationTokens.Claims(id, org, email, "viewer", "member", nonce,
                Instant.now().minusSeconds(60)));
        accept(expired, unique("usr_carol_"), email).problem(400, "validation-failed");
        // and a current token whose invitation expired in the database
        try (Connection c = dataSource.getConnection(); var s = c.prepareStatement(
                "update invitation set expires_at = now() - interval '1 minute' where id = ?")) {
            s.setString(1, id);
            s.executeUpdate();
        }
        accept(token(invited), unique("usr_carol_"), email).problem(400, "validation-failed");
        assertThat(api.get(path("/invitations/" + id), admin).map()).containsEntry("status", "expired");
        // a resend brings it back with a fresh token
        String fresh = (String) api.post(path("/invitations/" + id + "/resend"), admin, null).status(200).map()
                .get("token");
        accept(fresh, unique("usr_carol_"), email).status(200);
    }

    @Test
    void resendReplacesTheTokenAndRevokeEndsIt() {
        String email = unique("dave") + "@example.com";
        var invited = invite(email, "operator");
        api.post(path("/invitations"), admin, "{\"email\":\"" + email + "\"}").problem(409, "conflict");
        var resent = api.post(path("/invitations/" + id(invited) + "/resend"), admin, null).status(200).map();
        String newToken = (String) resent.get("token");
        assertThat(newToken).isNotEqualTo(token(invited));
        accept(token(invited), unique("usr_dave_"), email).problem(409, "conflict");

        api.delete(path("/invitations/" + id(invited)), admin).status(204);
        accept(newToken, unique("usr_dave_"), email).problem(409, "conflict");
        assertThat(api.get(path("/invitations/" + id(invited)), admin).map()).containsEntry("status", "revoked");
        api.delete(path("/invitations/inv_nope"), admin).problem(404, "not-found");
    }

    @Test
    void aSignedInUserAcceptsWithTheirVerifiedEmail() {
        String email = unique("erin") + "@example.com";
        String token = token(invite(email, "operator"));
        String user = unique("usr_erin_");
        api.post("/api/v1/invitations/accept", ISSUER.user(user), "{\"token\":\"" + token + "\"}")
                .problem(403, "forbidden");
        api.post("/api/v1/invitations/accept", null, "{\"token\":\"" + token + "\"}").problem(401, "unauthorized");
        var accepted = api.post("/api/v1/invitations/accept", ISSUER.userWithEmail(user, email),
                "{\"token\":\"" + token + "\"}").status(200).map();
        assertThat(accepted).containsEntry("type", "member").containsEntry("role", "operator");
        api.get(path(""), ISSUER.user(user)).status(200);
    }

    @Test
    void badInvitationsAreProblemJson() {
        api.post(path("/invitations"), admin, "{\"email\":\"not-an-email\"}").problem(400, "validation-failed");
        api.post(path("/invitations"), admin, "{\"email\":\"x@example.com\",\"role\":\"owner\"}")
                .problem(400, "validation-failed");
        api.post(path("/invitations"), admin, "{}").problem(400, "validation-failed");
        api.post("/internal/v1/invitations/accept", SERVICE, "{\"token\":\"x\"}").problem(400, "validation-failed");
        api.post("/internal/v1/invitations/accept", admin, "{\"token\":\"x\",\"userId\":\"u\",\"email\":\"a@b.c\"}")
                .problem(403, "forbidden");
    }
}
