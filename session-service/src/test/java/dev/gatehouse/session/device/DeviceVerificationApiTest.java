package dev.gatehouse.session.device;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** identity-service's side of the device flow: who may call it, lookups, one answer per code, and the rate limit. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceVerificationApiTest extends DeviceServerTest {
    private String serviceToken;

    @BeforeAll
    void internalServiceToken() throws Exception {
        serviceToken = serviceToken(internalService());
    }

    private String pendingUserCode() throws Exception {
        return (String) startFlow(deviceClient(), null).get("user_code");
    }

    @Test
    void theInternalApiNeedsAServiceTokenWithTheInternalScope() throws Exception {
        String userCode = pendingUserCode();
        TestClient reports = register(spec(unique("reports"), "confidential", List.of("client_credentials"),
                List.of("reports.read"), List.of("gatehouse"), List.of()));
        String notInternal = serviceToken(reports);
        for (String path : List.of("lookup", "approve", "deny")) {
            String body = toJson(Map.of("userCode", userCode, "subject", "usr_mallory",
                    "user", user("usr_mallory", "org_evil")));
            var anonymous = postJson("/internal/v1/device/" + path, body, null);
            assertProblem(anonymous, 401, "unauthorized");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertProblem(postJson("/internal/v1/device/" + path, body, "not.a.jwt"), 401, "unauthorized");
            assertProblem(postJson("/internal/v1/device/" + path, body, notInternal), 403, "forbidden");
        }
        // none of it answered the code
        assertThat(lookup(serviceToken, userCode, "usr_alice").statusCode()).isEqualTo(200);
    }

    @Test
    void lookupIgnoresCaseDashesAndSpaces() throws Exception {
        String userCode = pendingUserCode();
        String plain = userCode.replace("-", "");
        for (String typed : List.of(userCode, userCode.toLowerCase(), plain, plain.toLowerCase(),
                " " + plain.substring(0, 4) + " " + plain.substring(4).toLowerCase() + " ")) {
            var response = lookup(serviceToken, typed, "usr_alice");
            assertThat(response.statusCode()).as(typed).isEqualTo(200);
        }
    }

    @Test
    void unknownCodesAre404AndMalformedRequests400() throws Exception {
        assertProblem(lookup(serviceToken, unknownUserCode(), "usr_alice"), 404, "not-found");
        assertProblem(approve(serviceToken, unknownUserCode(), user("usr_alice", "org_acme")), 404, "not-found");
        assertProblem(deny(serviceToken, unknownUserCode()), 404, "not-found");

        var vowels = lookup(serviceToken, "AEIO-UAEI", "usr_alice");
        assertProblem(vowels, 400, "validation-failed");
        assertThat(vowels.body()).contains("userCode");
        assertProblem(lookup(serviceToken, "BCDF-GHJ", "usr_alice"), 400, "validation-failed");
        assertProblem(lookup(serviceToken, pendingUserCode(), "usr alice"), 400, "validation-failed");
        assertProblem(postJson("/internal/v1/device/lookup", "{\"userCode\":\"BCDFGHJK\"}", serviceToken), 400,
                "validation-failed");
        assertProblem(postJson("/internal/v1/device/lookup", "{not json", serviceToken), 400, "malformed-request");
        assertProblem(postJson("/internal/v1/device/approve", toJson(Map.of("userCode", pendingUserCode())),
                serviceToken), 400, "validation-failed");
        var badUser = approve(serviceToken, pendingUserCode(), Map.of("userId", "no spaces allowed"));
        assertProblem(badUser, 400, "validation-failed");
        assertThat(badUser.body()).contains("user.userId");
    }

    @Test
    void aCodeIsAnsweredOnceApprovingTwiceIsAConflict() throws Exception {
        String userCode = pendingUserCode();
        assertThat(approve(serviceToken, userCode, user("usr_alice", "org_acme")).statusCode()).isEqualTo(204);
        assertProblem(approve(serviceToken, userCode, user("usr_alice", "org_acme")), 409, "conflict");
        assertProblem(approve(serviceToken, userCode.toLowerCase(), user("usr_eve", "org_evil")), 409, "conflict");
        assertProblem(deny(serviceToken, userCode), 409, "conflict");
        assertProblem(lookup(serviceToken, userCode, "usr_alice"), 409, "conflict");
    }

    @Test
    void afterTenFailedAttemptsAUserIsLimitedButOthersAreNot() throws Exception {
        String subject = unique("usr");
        String valid = pendingUserCode();
        // successful lookups do not count
        for (int i = 0; i < 12; i++) {
            assertThat(lookup(serviceToken, valid, subject).statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 5; i++) {
            assertProblem(lookup(serviceToken, unknownUserCode(), subject), 404, "not-found");
            assertProblem(approve(serviceToken, unknownUserCode(), user(subject, "org_acme")), 404, "not-found");
        }
        var limited = lookup(serviceToken, unknownUserCode(), subject);
        assertProblem(limited, 429, "too-many-requests");
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isBetween(1L, 600L));
        // even the right code, and approving it, while limited
        assertProblem(lookup(serviceToken, valid, subject), 429, "too-many-requests");
        assertProblem(approve(serviceToken, valid, user(subject, "org_acme")), 429, "too-many-requests");

        assertThat(lookup(serviceToken, valid, unique("usr")).statusCode()).isEqualTo(200);
        assertThat(approve(serviceToken, valid, user(unique("usr"), "org_acme")).statusCode()).isEqualTo(204);
    }
}
