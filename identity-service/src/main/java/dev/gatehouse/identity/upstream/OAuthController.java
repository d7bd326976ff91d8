package dev.gatehouse.identity.upstream;

import dev.gatehouse.identity.internal.http.ClientAddress;
import dev.gatehouse.identity.signin.AuthResult;
import dev.gatehouse.identity.signin.SignInCompletion;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 004's upstream sign-in operations: {@code POST /auth/oauth/{provider}/start} and
 * {@code POST /auth/oauth/finalize} (discovery's SSO branch is {@link SsoDiscoveryRule}). Errors are problem+json
 * (docs/errors.md).
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/auth/oauth")
@Tag(name = "Auth")
public class OAuthController {
    private final UpstreamSignIn signIn;
    private final BindingCookie binding;
    private final SignInCompletion completion;

    public OAuthController(UpstreamSignIn signIn, BindingCookie binding, SignInCompletion completion) {
        this.signIn = signIn;
        this.binding = binding;
        this.completion = completion;
    }

    @Operation(operationId = "start-oauth", summary = "Start a sign-in at an upstream identity provider",
            description = "provider: google, microsoft, github or a configured one. Web sends {} (PKCE is kept "
                    + "server-side); desktop sends its own S256 codeChallenge. Answers {authMethod: sso, redirectUrl, "
                    + "state, challenge} and sets the HttpOnly browser-binding cookie.")
    @Post(value = "/{provider}/start", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<OAuthRequests.AuthData> start(@PathVariable String provider,
                                                             @Nullable @Body OAuthRequests.Start body,
                                                             HttpRequest<?> request) {
        UpstreamProvider upstream = signIn.provider(provider);
        UpstreamSignIn.Started started = signIn.start(upstream, caller(request), body == null ? null : body.state(),
                body == null ? null : body.codeChallenge(), null, null);
        return HttpResponse.ok(new OAuthRequests.AuthData(OAuthRequests.AuthData.SSO, started.redirectUrl(),
                        started.state(), started.challenge())).cookie(binding.cookie(started.binding()))
                .header("Cache-Control", "no-store");
    }

    @Operation(operationId = "finalize-oauth", summary = "Finish an upstream sign-in with the code",
            description = "{code, state, codeVerifier? (desktop only), iss? (RFC 9207), inviteToken?, inviteType?} → "
                    + "AuthResult (authenticated + Set-Cookie, or orgSelectionRequired).")
    @Post(value = "/finalize", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<AuthResult> finalizeOAuth(@Body OAuthRequests.Finalize body, HttpRequest<?> request) {
        return completion.respond(signIn.finalize(body, caller(request)));
    }

    private UpstreamSignIn.Caller caller(HttpRequest<?> request) {
        return new UpstreamSignIn.Caller(request.getHeaders().get(UpstreamSignIn.PLATFORM_HEADER),
                binding.read(request).orElse(null), ClientAddress.userAgent(request), ClientAddress.of(request));
    }
}
