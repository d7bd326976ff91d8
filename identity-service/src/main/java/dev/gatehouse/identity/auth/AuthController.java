package dev.gatehouse.identity.auth;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.identity.internal.http.ClientAddress;
import dev.gatehouse.identity.internal.http.TooManyAttemptsException;
import dev.gatehouse.identity.password.PasswordSignIn;
import dev.gatehouse.identity.platform.SessionClient;
import dev.gatehouse.identity.platform.TenantClient;
import dev.gatehouse.identity.signin.AuthResult;
import dev.gatehouse.identity.signin.Discovery;
import dev.gatehouse.identity.signin.SessionCookieWriter;
import dev.gatehouse.identity.signin.SignInCompletion;
import dev.gatehouse.identity.signin.SignInConfig;
import dev.gatehouse.identity.signin.SignInContext;
import dev.gatehouse.identity.signin.SignInDiscovery;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import dev.gatehouse.identity.user.UserView;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.Optional;

/**
 * Seed 004's Auth/Session operations for passwords and sessions: discovery, password sign-in, organization
 * selection (login-time) and switch (post-login), sign-out. Tokens never appear in bodies: a browser session is the
 * HttpOnly {@code access_token} cookie. Errors are problem+json.
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/auth")
@Tag(name = "Auth")
public class AuthController {
    private final SignInDiscovery discovery;
    private final PasswordSignIn passwords;
    private final SignInCompletion completion;
    private final SessionCookieWriter cookies;
    private final SessionClient sessions;
    private final TenantClient tenants;
    private final UserDirectory users;
    private final SignInConfig config;

    public AuthController(SignInDiscovery discovery, PasswordSignIn passwords, SignInCompletion completion,
                          SessionCookieWriter cookies, SessionClient sessions, TenantClient tenants,
                          UserDirectory users, SignInConfig config) {
        this.discovery = discovery;
        this.passwords = passwords;
        this.completion = completion;
        this.cookies = cookies;
        this.sessions = sessions;
        this.tenants = tenants;
        this.users = users;
        this.config = config;
    }

    @Operation(operationId = "sign-in", summary = "Discovery: which method signs this email in",
            description = "Answers {authMethod: password | magicAuth | sso, redirectUrl?, state?, challenge?}. The "
                    + "platform (web | desktop) may be given in the X-Platform header.")
    @Post(value = "/sign-in", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<Discovery> signIn(HttpRequest<?> request, @Body AuthRequests.SignIn body,
                                          @Nullable @Header("X-Platform") String platform) {
        String email = Validation.email(body.email());
        return HttpResponse.ok(discovery.discover(email, platform, request)).header("Cache-Control", "no-store");
    }

    @Operation(operationId = "finalize-password", summary = "Sign in with email and password",
            description = "Answers the AuthResult (authenticated + Set-Cookie, or orgSelectionRequired). A wrong "
                    + "password and an unknown email get the same 401; repeated failures 429 with Retry-After.")
    @Post(value = "/password/finalize", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<AuthResult> password(HttpRequest<?> request, @Body AuthRequests.PasswordSignIn body) {
        String email = Validation.email(body.email());
        String password = Validation.required("password", body.password(), 1024);
        String address = ClientAddress.of(request);
        return switch (passwords.byEmail(email, password, address)) {
            case PasswordSignIn.Verified(User user) -> completion.respond(completion.complete(user,
                    web(request, "password")));
            case PasswordSignIn.Rejected ignored -> throw new ProblemException(ProblemType.UNAUTHORIZED,
                    "The email or password is not correct");
            case PasswordSignIn.Throttled(var retryAfter, boolean locked) -> throw new TooManyAttemptsException(
                    locked ? "Too many failed attempts; the account is temporarily locked"
                            : "Too many failed attempts; wait before trying again", retryAfter);
        };
    }

    @Operation(operationId = "select-organization", summary = "Complete a multi-organization sign-in",
            description = "The pendingAuthenticationToken is single use and short-lived; answers the User and sets "
                    + "the access_token cookie.")
    @Post(value = "/organization/select", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<UserView> select(@Body AuthRequests.SelectOrganization body) {
        String token = Validation.required("pendingAuthenticationToken", body.pendingAuthenticationToken(), 200);
        String organization = Validation.id("organizationId", body.organizationId());
        var completed = completion.select(token, organization);
        var user = ((AuthResult.Authenticated) completed.result()).user();
        MutableHttpResponse<UserView> response = HttpResponse.ok(user);
        Optional.ofNullable(completed.session()).map(SessionClient.SessionTokens::cookie)
                .ifPresent(cookie -> cookies.write(response, cookie));
        return response.header("Cache-Control", "no-store");
    }

    @Operation(operationId = "switch-organization", summary = "Move the signed-in session to another organization",
            description = "Cookie-authenticated; answers the User with a new access_token cookie.")
    @Post(value = "/organization/switch", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<UserView> switchOrganization(HttpRequest<?> request,
                                                     @Body AuthRequests.SwitchOrganization body) {
        String organization = Validation.id("organizationId", body.organizationId());
        String cookie = cookies.read(request).orElseThrow(AuthController::signInRequired);
        SessionClient.SessionTokens current = sessions.refresh(cookie).orElseThrow(AuthController::signInRequired);
        UserId userId = new UserId(AccessTokens.subject(current.accessToken()));
        User user = users.find(userId).orElseThrow(AuthController::signInRequired);
        if (tenants.membership(new OrgId(organization), userId).isEmpty()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "You are not a member of that organization");
        }
        SessionClient.SessionTokens moved = sessions.switchOrganization(current.sessionId(), organization,
                current.cookie()).orElseThrow(AuthController::signInRequired);
        MutableHttpResponse<UserView> response = HttpResponse.ok(UserView.of(user));
        if (moved.cookie() != null) {
            cookies.write(response, moved.cookie());
        }
        return response.header("Cache-Control", "no-store");
    }

    @Operation(operationId = "sign-out", summary = "Sign out: ends the server session and clears the cookie")
    @Post("/sign-out")
    public HttpResponse<Void> signOut(HttpRequest<?> request) {
        String cookie = cookies.read(request).orElseThrow(AuthController::signInRequired);
        sessions.refresh(cookie).ifPresent(session -> sessions.revoke(session.sessionId()));
        return cookies.clear(HttpResponse.<Void>noContent()).header("Cache-Control", "no-store");
    }

    private SignInContext web(HttpRequest<?> request, String method) {
        return new SignInContext(config.webClientId(), SessionClient.Delivery.COOKIE, null, method, null,
                ClientAddress.userAgent(request), ClientAddress.of(request));
    }

    static ProblemException signInRequired() {
        return new ProblemException(ProblemType.UNAUTHORIZED, "Sign in first (no valid session cookie)");
    }
}
