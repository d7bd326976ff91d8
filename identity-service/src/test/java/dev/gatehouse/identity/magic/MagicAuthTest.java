package dev.gatehouse.identity.magic;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.devstack.Ports;
import dev.gatehouse.identity.platform.TenantClient;
import dev.gatehouse.identity.stack.IdentityStack;
import dev.gatehouse.identity.stack.StackHttp;
import dev.gatehouse.identity.user.NewUser;
import dev.gatehouse.identity.user.UserDirectory;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 004's magic-code sign-in and sign-up end to end: identity-service with the real session- and tenant-service
 * ({@link IdentityStack}), codes read from the mails a real SMTP server (GreenMail) received.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MagicAuthTest {
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    private static final Pattern INVITATION = Pattern.compile("invitation=([A-Za-z0-9%._~+-]+)");
    private final int smtpPort = Ports.freePort();
    private GreenMail greenMail;
    private IdentityStack stack;

    @BeforeAll
    void up() {
        greenMail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        stack = IdentityStack.start(mailProperties(Map.of()));
    }

    @AfterAll
    void down() {
        if (stack != null) {
            stack.close();
        }
        greenMail.stop();
    }

    private Map<String, Object> mailProperties(Map<String, Object> more) {
        var props = new java.util.HashMap<String, Object>(Map.of(
                "gatehouse.identity.mail.host", "127.0.0.1",
                "gatehouse.identity.mail.port", smtpPort,
                "gatehouse.identity.mail.security", "none",
                "gatehouse.identity.mail.sign-up-url", "http://id.test/signup",
                // 8 builds share 2 cores here: session- and tenant-service can be slow to answer
                "gatehouse.identity.platform.timeout-millis", 30_000));
        props.putAll(more);
        return props;
    }

    private static String newEmail() {
        return "magic-" + UUID.randomUUID().toString().substring(0, 10) + "@example.com";
    }

    private List<MimeMessage> mailsTo(String address) {
        return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equalsIgnoreCase(address);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** Waits for the {@code n}-th mail to {@code address} and returns its text. */
    private String awaitMail(String address, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (mailsTo(address).size() < n) {
            assertThat(System.nanoTime()).as("mail %d to %s within 20 s", n, address).isLessThan(deadline);
            Thread.sleep(50);
        }
        return GreenMailUtil.getBody(mailsTo(address).get(n - 1));
    }

    private String awaitCode(String address, int n) throws InterruptedException {
        Matcher m = CODE.matcher(awaitMail(address, n));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String wrong(String code) {
        return "%06d".formatted((Integer.parseInt(code) + 1) % 1_000_000);
    }

    private static void assertBadCode(StackHttp.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(reply.json().path("type").asText()).isEqualTo("urn:gatehouse:problem:validation-failed");
        assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("code");
        assertThat(reply.setCookie("access_token")).isEmpty();
    }

    @Test
    void aMailedCodeSignsInOnceAndCreatesTheVerifiedUser() throws Exception {
        String email = newEmail();
        StackHttp browser = stack.newBrowser();
        var resend = browser.postJson("/auth/magic/resend", Map.of("email", email));
        assertThat(resend.status()).isEqualTo(202);
        assertThat(resend.body()).isEmpty();
        String code = awaitCode(email, 1);
        assertThat(mailsTo(email).getFirst().getSubject()).isEqualTo("Your sign-in code");

        var done = browser.postJson("/auth/magic/finalize", Map.of("email", email.toUpperCase(), "code", code));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.json().path("status").asText()).isEqualTo("authenticated");
        assertThat(done.json().path("user").path("email").asText()).isEqualTo(email);
        assertThat(done.json().path("user").path("emailVerified").asBoolean()).isTrue();
        assertThat(done.body()).doesNotContain(code).doesNotContain("accessToken").doesNotContain("refresh");
        var cookie = done.setCookie("access_token").orElseThrow();
        assertThat(cookie.httpOnly()).isTrue();
        assertThat(cookie.sameSite()).hasValueSatisfying(s -> assertThat(s).isEqualToIgnoringCase("Lax"));
        assertThat(stack.bean(UserDirectory.class).findByEmail(email)).hasValueSatisfying(u ->
                assertThat(u.emailVerified()).isTrue());
        stack.events().await("UserSignedIn", e -> e.path("payload").path("method").asText().equals("magic")
                && e.path("payload").path("userId").asText().equals(done.json().path("user").path("id").asText()));

        // single use
        assertBadCode(stack.newBrowser().postJson("/auth/magic/finalize", Map.of("email", email, "code", code)));
    }

    @Test
    void anExistingUnverifiedUserSignsInAndBecomesVerified() throws Exception {
        String email = newEmail();
        var user = stack.bean(UserDirectory.class).create(new NewUser(email, false, "Grace", null, null, "test"));
        assertThat(stack.http().postJson("/auth/magic/resend", Map.of("email", email)).status()).isEqualTo(202);
        var done = stack.newBrowser().postJson("/auth/magic/finalize", Map.of("email", email,
                "code", awaitCode(email, 1)));
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().path("user").path("id").asText()).isEqualTo(user.id());
        assertThat(done.json().path("user").path("emailVerified").asBoolean()).isTrue();
    }

    @Test
    void fiveWrongGuessesVoidTheCodeSoTheSixthAttemptFailsEvenWhenRight() throws Exception {
        String email = newEmail();
        stack.http().postJson("/auth/magic/resend", Map.of("email", email));
        String code = awaitCode(email, 1);
        for (int i = 0; i < 5; i++) {
            assertBadCode(stack.http().postJson("/auth/magic/finalize", Map.of("email", email, "code", wrong(code))));
        }
        assertBadCode(stack.http().postJson("/auth/magic/finalize", Map.of("email", email, "code", code)));
    }

    @Test
    void fourWrongGuessesLeaveTheRightCodeWorking() throws Exception {
        String email = newEmail();
        stack.http().postJson("/auth/magic/resend", Map.of("email", email));
        String code = awaitCode(email, 1);
        for (int i = 0; i < 4; i++) {
            assertBadCode(stack.http().postJson("/auth/magic/finalize", Map.of("email", email, "code", wrong(code))));
        }
        assertThat(stack.newBrowser().postJson("/auth/magic/finalize", Map.of("email", email, "code", code))
                .status()).isEqualTo(200);
    }

    @Test
    void anExpiredCodeIsRefused() throws Exception {
        try (var shortLived = IdentityStack.start(mailProperties(Map.of("gatehouse.identity.magic.ttl", "1s")))) {
            String email = newEmail();
            assertThat(shortLived.http().postJson("/auth/magic/resend", Map.of("email", email)).status())
                    .isEqualTo(202);
            String code = awaitCode(email, 1);
            Thread.sleep(1_500);
            assertBadCode(shortLived.http().postJson("/auth/magic/finalize", Map.of("email", email, "code", code)));
        }
    }

    @Test
    void resendIsRateLimitedForKnownAndUnknownAddressesAlike() throws Exception {
        String unknown = newEmail();
        String known = newEmail();
        stack.bean(UserDirectory.class).create(new NewUser(known, true, null, null, null, "test"));
        for (String email : List.of(unknown, known)) {
            var first = stack.http().postJson("/auth/magic/resend", Map.of("email", email));
            assertThat(first.status()).isEqualTo(202);
            var second = stack.http().postJson("/auth/magic/resend", Map.of("email", email));
            assertThat(second.status()).as(second.toString()).isEqualTo(429);
            assertThat(second.json().path("type").asText()).isEqualTo("urn:gatehouse:problem:too-many-requests");
            assertThat(second.header("Retry-After")).hasValueSatisfying(s ->
                    assertThat(Integer.parseInt(s)).isBetween(1, 30));
        }
        awaitCode(known, 1);
        Thread.sleep(300);
        assertThat(mailsTo(known)).hasSize(1);
    }

    @Test
    void unknownAndKnownAddressesGetTheSameAnswer() {
        String known = newEmail();
        stack.bean(UserDirectory.class).create(new NewUser(known, true, null, null, null, "test"));
        var forKnown = stack.http().postJson("/auth/magic/resend", Map.of("email", known));
        var forUnknown = stack.http().postJson("/auth/magic/resend", Map.of("email", newEmail()));
        assertThat(forUnknown.status()).isEqualTo(forKnown.status()).isEqualTo(202);
        assertThat(forUnknown.body()).isEqualTo(forKnown.body());
        assertThat(forUnknown.header("Content-Type")).isEqualTo(forKnown.header("Content-Type"));

        // finalize: no code for an unknown address is the same 400 as a wrong one
        assertBadCode(stack.http().postJson("/auth/magic/finalize", Map.of("email", newEmail(), "code", "123456")));
    }

    @Test
    void withSignUpOffUnknownAddressesGetTheSameAnswerButNoMail() throws Exception {
        try (var closed = IdentityStack.start(mailProperties(Map.of("gatehouse.identity.magic.sign-up", false)))) {
            String known = newEmail();
            closed.bean(UserDirectory.class).create(new NewUser(known, true, null, null, null, "test"));
            String unknown = newEmail();
            var forUnknown = closed.http().postJson("/auth/magic/resend", Map.of("email", unknown));
            var forKnown = closed.http().postJson("/auth/magic/resend", Map.of("email", known));
            assertThat(forUnknown.status()).isEqualTo(forKnown.status()).isEqualTo(202);
            assertThat(forUnknown.body()).isEqualTo(forKnown.body());
            awaitCode(known, 1);
            Thread.sleep(300);
            assertThat(mailsTo(unknown)).isEmpty();
        }
    }

    @Test
    void badBodiesAreClear400s() {
        var noEmail = stack.http().postJson("/auth/magic/resend", Map.of("email", "not-an-address"));
        assertThat(noEmail.status()).isEqualTo(400);
        assertThat(noEmail.json().path("errors").get(0).path("field").asText()).isEqualTo("email");
        var shortCode = stack.http().postJson("/auth/magic/finalize", Map.of("email", newEmail(), "code", "12ab"));
        assertThat(shortCode.status()).isEqualTo(400);
        assertThat(shortCode.json().path("errors").get(0).path("field").asText()).isEqualTo("code");
        assertThat(stack.http().postJson("/auth/magic/finalize", "{not json").status()).isEqualTo(400);
    }

    @Test
    void signUpWithoutAnInvitationMailsACodeThatCreatesTheNamedUser() throws Exception {
        String email = newEmail();
        var signUp = stack.http().postJson("/auth/sign-up", Map.of("email", email, "name", "Ada Lovelace"));
        assertThat(signUp.status()).as(signUp.toString()).isEqualTo(202);
        assertThat(signUp.json().path("authMethod").asText()).isEqualTo("magicAuth");
        assertThat(signUp.setCookie("access_token")).isEmpty();
        assertThat(stack.bean(UserDirectory.class).findByEmail(email)).isEmpty();

        var done = stack.newBrowser().postJson("/auth/magic/finalize", Map.of("email", email,
                "code", awaitCode(email, 1)));
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().path("user").path("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(done.setCookie("access_token")).isPresent();
    }

    @Test
    void signUpWithAMailedInvitationJoinsTheOrganizationAndSignsIn() throws Exception {
        var platform = stack.platformServices();
        String org = platform.createOrganization(IdentityStack.Platform.uniqueSlug("magic"), "Magic Org");
        String email = newEmail();
        var created = platform.tenant().postJson("/api/v1/organizations/" + org + "/invitations",
                Map.of("email", email, "role", "operator"), "Bearer " + platform.adminToken());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        // the InvitationCreated event reached identity-service, which mailed the link
        String mail = awaitMail(email, 1);
        assertThat(mailsTo(email).getFirst().getSubject()).isEqualTo("You are invited to join Magic Org");
        Matcher link = INVITATION.matcher(mail);
        assertThat(link.find()).isTrue();
        String token = URLDecoder.decode(link.group(1), StandardCharsets.UTF_8);
        assertThat(token).isEqualTo(created.json().path("token").asText());

        // another address cannot use it
        var other = stack.newBrowser().postJson("/auth/sign-up", Map.of("email", newEmail(), "inviteToken", token));
        assertThat(other.status()).as(other.toString()).isEqualTo(403);
        // a declared type must match the token's own
        var mismatch = stack.newBrowser().postJson("/auth/sign-up", Map.of("email", email, "inviteToken", token,
                "inviteType", "admin"));
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.json().path("errors").get(0).path("field").asText()).isEqualTo("inviteType");

        StackHttp browser = stack.newBrowser();
        var done = browser.postJson("/auth/sign-up", Map.of("email", email, "name", "Invited Ivy",
                "inviteToken", token, "inviteType", "member"));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.json().path("status").asText()).isEqualTo("authenticated");
        assertThat(done.json().path("user").path("emailVerified").asBoolean()).isTrue();
        assertThat(done.json().path("user").path("name").asText()).isEqualTo("Invited Ivy");
        assertThat(done.setCookie("access_token")).hasValueSatisfying(c -> assertThat(c.httpOnly()).isTrue());
        String userId = done.json().path("user").path("id").asText();
        assertThat(stack.bean(TenantClient.class).organizationsOf(new UserId(userId)))
                .anySatisfy(o -> {
                    assertThat(o.id()).isEqualTo(org);
                    assertThat(o.roles()).contains("operator");
                });

        // used once
        var again = stack.newBrowser().postJson("/auth/sign-up", Map.of("email", email, "inviteToken", token));
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.setCookie("access_token")).isEmpty();
    }

    @Test
    void anInvitationDoesNotSignInAnExistingAccount() throws Exception {
        var platform = stack.platformServices();
        String org = platform.createOrganization(IdentityStack.Platform.uniqueSlug("magic"), "Existing Org");
        String email = newEmail();
        stack.bean(UserDirectory.class).create(new NewUser(email, true, "Existing", null, null, "test"));
        var created = platform.tenant().postJson("/api/v1/organizations/" + org + "/invitations",
                Map.of("email", email), "Bearer " + platform.adminToken());
        assertThat(created.status()).isEqualTo(201);

        // whoever holds the token (the inviting admin saw it) does not become that user: a code goes to the address
        var signUp = stack.newBrowser().postJson("/auth/sign-up", Map.of("email", email,
                "inviteToken", created.json().path("token").asText()));
        assertThat(signUp.status()).as(signUp.toString()).isEqualTo(202);
        assertThat(signUp.json().path("authMethod").asText()).isEqualTo("magicAuth");
        assertThat(signUp.setCookie("access_token")).isEmpty();
        assertThat(awaitMail(email, 2)).containsPattern("\\b\\d{6}\\b");
    }

    @Test
    void aForgedInvitationIsA400NamingTheToken() {
        var forged = stack.http().postJson("/auth/sign-up", Map.of("email", newEmail(), "inviteToken",
                "eyJhbGciOiJub25lIn0.eyJqdGkiOiJpbnZfeCJ9."));
        assertThat(forged.status()).as(forged.toString()).isEqualTo(400);
        assertThat(forged.json().path("errors").get(0).path("field").asText()).isEqualTo("inviteToken");
    }
}
