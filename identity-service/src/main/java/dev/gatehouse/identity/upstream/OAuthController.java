package dev.gatehouse.identity.upstream;

import dev.gatehouse.identity.signin.AuthResult;
import dev.gatehouse.identity.signin.CookieConfig;
import dev.gatehouse.identity.signin.SignInCompletion;
import dev.gatehouse.identity.platform.TenantClient;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Seed 004's discovery and upstream sign-in operations: {@code POST /auth/sign-in},
 * {@code POST /auth/oauth/{provider}/start}, {@code POST /auth/oauth/finalize}. Errors are problem+json
 * (docs/errors.md).
 */
@Controller("/auth")
public class OAuthController {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}");
    private final UpstreamSignIn signIn;
    private final UpstreamProviders providers;
    private final UpstreamConfig config;
    private final CookieConfig cookies;
    private final SignInCompletion completion;
    private final TenantClient tenants;

    public OAuthController(UpstreamSignIn signIn, UpstreamProviders providers, UpstreamConfig config,
                           CookieConfig cookies, SignInCompletion completion, TenantClient tenants) {
        this.signIn = signIn;
        this.providers = providers;
        this.config = config;
        this.cookies = cookies;
        this.completion = completion;
        this.tenants = tenants;
    }

    /**
     * Discovery: which method signs this address in. An address whose domain an organization verified, and whose
     * organization has an SSO connection, starts that SSO at once ({@code sso} with the redirect data); every other
     * address gets the configured method (the same answer for known and unknown addresses).
     */
    @Post(value = "/sign-in", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<OAuthRequests.AuthData> signIn(@Body OAuthRequests.SignIn body, HttpRequest<?> request) {
        String email = body == null || body.email() == null ? null : body.email().strip();
        if (email == null || email.length() > 320 || !EMAIL.matcher(email).matches()) {
            throw UpstreamSignIn.invalid("email", "must be an e-mail address");
        }
        String domain;
        try {
            domain = IDN.toASCII(email.substring(email.indexOf('@') + 1), IDN.USE_STD3_ASCII_RULES)
                    .toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw UpstreamSignIn.invalid("email", "must be an e-mail address");
        }
        var discovered = tenants.discoverDomain(domain);
        if (discovered.isPresent()) {
            var sso = providers.forOrganization(discovered.get().organizationSlug());
            if (sso.isPresent()) {
                UpstreamSignIn.Started started = signIn.start(sso.get(), caller(request), null, body.codeChallenge(),
                        email, discovered.get().organizationId());
                return started(started);
            }
        }
        return HttpResponse.ok(new OAuthRequests.AuthData(config.defaultSignInMethod(), null, null, null))
                .header("Cache-Control", "no-store");
    }

    @Post(value = "/oauth/{provider}/start", consumes = MediaType.APPLICATION_JSON,
            produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<OAuthRequests.AuthData> start(@PathVariable String provider,
                                                             @Nullable @Body OAuthRequests.Start body,
                                                             HttpRequest<?> request) {
        UpstreamProvider upstream = signIn.provider(provider);
        UpstreamSignIn.Started started = signIn.start(upstream, caller(request), body == null ? null : body.state(),
                body == null ? null : body.codeChallenge(), null, null);
        return started(started);
    }

    @Post(value = "/oauth/finalize", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<AuthResult> finalizeOAuth(@Body OAuthRequests.Finalize body, HttpRequest<?> request) {
        return completion.respond(signIn.finalize(body, caller(request)));
    }

    private MutableHttpResponse<OAuthRequests.AuthData> started(UpstreamSignIn.Started started) {
        Cookie binding = Cookie.of(config.bindingCookie(), started.binding()).httpOnly(true)
                .secure(cookies.secure()).sameSite(SameSite.Lax).path("/auth").maxAge(config.stateTtl());
        return HttpResponse.ok(new OAuthRequests.AuthData(OAuthRequests.AuthData.SSO, started.redirectUrl(),
                started.state(), started.challenge())).cookie(binding).header("Cache-Control", "no-store");
    }

    private UpstreamSignIn.Caller caller(HttpRequest<?> request) {
        String binding = request.getCookies().findCookie(config.bindingCookie()).map(Cookie::getValue).orElse(null);
        String ip = request.getRemoteAddress() == null || request.getRemoteAddress().getAddress() == null ? null
                : request.getRemoteAddress().getAddress().getHostAddress();
        return new UpstreamSignIn.Caller(request.getHeaders().get(UpstreamSignIn.PLATFORM_HEADER), binding,
                request.getHeaders().get("User-Agent"), ip);
    }
}
