package dev.gatehouse.identity.signup;

import dev.gatehouse.identity.internal.http.ClientAddress;
import dev.gatehouse.identity.magic.MagicAuth;
import dev.gatehouse.identity.magic.MagicFields;
import dev.gatehouse.identity.platform.SessionClient;
import dev.gatehouse.identity.platform.TenantClient;
import dev.gatehouse.identity.signin.AuthResult;
import dev.gatehouse.identity.signin.Discovery;
import dev.gatehouse.identity.signin.SignInCompletion;
import dev.gatehouse.identity.signin.SignInConfig;
import dev.gatehouse.identity.signin.SignInContext;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import dev.gatehouse.kit.http.Problem.FieldError;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;
import java.util.Locale;

/**
 * Seed 004's {@code POST /auth/sign-up} {@code {email, name?, inviteToken?, inviteType?}}.
 *
 * <ul>
 *   <li><b>With an invitation</b> (register and join): tenant-service inspects the token (self-describing: its type
 *   wins over {@code inviteType}, which must agree when sent); the address must be the invited one. A new user is
 *   created with that address verified (the invitation was mailed to it), joins the organization with the invited
 *   role and is signed in into it: the {@link AuthResult} {@code authenticated} + the {@code access_token} cookie.
 *   An address that already has an account is not signed in by the invitation (whoever holds the token, e.g. the
 *   inviting admin, must not become that user): it is answered like a sign-up without invitation, and the user
 *   accepts after signing in.</li>
 *   <li><b>Without</b>: the address must be proven first. A code is mailed ({@code magic/resend}'s rules and limits) and
 *   the answer is {@code 202} with seed 004's {@code AuthData} {@code {"authMethod": "magicAuth"}}: the client
 *   continues with {@code POST /auth/magic/finalize}, which creates the user. Known and unknown addresses get the same
 *   answer.</li>
 * </ul>
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/auth")
@Tag(name = "Auth")
public class SignUpController {
    private final MagicAuth magic;
    private final TenantClient tenants;
    private final UserDirectory users;
    private final SignInCompletion completion;
    private final SignInConfig signIn;

    public SignUpController(MagicAuth magic, TenantClient tenants, UserDirectory users, SignInCompletion completion,
                            SignInConfig signIn) {
        this.magic = magic;
        this.tenants = tenants;
        this.users = users;
        this.completion = completion;
        this.signIn = signIn;
    }

    /** The sign-up body. */
    @Serdeable
    record SignUp(@Nullable String email, @Nullable String name, @Nullable String inviteToken,
                  @Nullable String inviteType) {
        @Override
        public String toString() {
            return "SignUp[email=" + email + ", invited=" + (inviteToken != null) + "]";
        }
    }

    @Operation(operationId = "sign-up", summary = "Register (and join an organization with an invitation)",
            description = "Body {email, name?, inviteToken?, inviteType?}. With a valid invitation for that address "
                    + "and no account yet: the AuthResult (authenticated + Set-Cookie), a member of the inviting "
                    + "organization. Otherwise 202 {authMethod: magicAuth}: a code was mailed (if the address may sign "
                    + "in); finish with POST /auth/magic/finalize.")
    @Post(value = "/sign-up", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<?> signUp(HttpRequest<?> request, @Body SignUp body) {
        String email = MagicFields.email(body.email());
        String name = MagicFields.optional("name", body.name(), 200);
        String inviteType = MagicFields.optional("inviteType", body.inviteType(), 20);
        if (inviteType != null && !inviteType.equals("admin") && !inviteType.equals("member")) {
            throw MagicFields.invalid("inviteType", "must be admin or member");
        }
        String token = MagicFields.optional("inviteToken", body.inviteToken(), 4096);
        if (token == null) {
            return verifyByCode(request, email, name);
        }
        TenantClient.Invitation invitation = switch (tenants.inspectInvitation(token)) {
            case TenantClient.Invitation found -> found;
            case TenantClient.InvitationRefused refused -> throw refusal(refused);
        };
        if (!invitation.email().toLowerCase(Locale.ROOT).equals(UserDirectory.normaliseEmail(email))) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This invitation is for another address");
        }
        if (inviteType != null && !inviteType.equals(invitation.type())) {
            throw MagicFields.invalid("inviteType", "does not match the invitation");
        }
        if (users.findByEmail(email).isPresent()) {
            return verifyByCode(request, email, name);
        }
        User user = users.linkVerifiedEmail(UserDirectory.normaliseEmail(email), name, null, "invitation").user();
        if (tenants.acceptInvitation(token, user.userId(), user.email())
                instanceof TenantClient.InvitationRefused refused) {
            throw refusal(refused);
        }
        return completion.respond(completion.complete(user, new SignInContext(signIn.webClientId(),
                SessionClient.Delivery.COOKIE, null, "invitation", invitation.organizationId(),
                ClientAddress.userAgent(request), ClientAddress.of(request))));
    }

    private HttpResponse<Discovery> verifyByCode(HttpRequest<?> request, String email, @Nullable String name) {
        magic.send(email, name, ClientAddress.of(request));
        return HttpResponse.accepted().body(Discovery.of(Discovery.MAGIC_AUTH)).header("Cache-Control", "no-store");
    }

    /** tenant-service's refusal, in our own words, naming the field. */
    private static ProblemException refusal(TenantClient.InvitationRefused refused) {
        return switch (refused.status()) {
            case 403 -> new ProblemException(ProblemType.FORBIDDEN, "This invitation is for another address");
            case 409 -> new ProblemException(ProblemType.CONFLICT,
                    "This invitation was already used, revoked or replaced by a newer one");
            default -> new ProblemException(ProblemType.VALIDATION_FAILED, "inviteToken is not valid or has expired",
                    List.of(new FieldError("inviteToken", "is not valid or has expired; ask for a new invitation")));
        };
    }
}
