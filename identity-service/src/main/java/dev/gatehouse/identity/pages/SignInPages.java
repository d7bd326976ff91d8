package dev.gatehouse.identity.pages;

import dev.gatehouse.identity.platform.SessionClient;
import dev.gatehouse.identity.platform.TenantClient;
import dev.gatehouse.identity.user.User;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hosted sign-in: the login UI behind session-service's authorization endpoint. The endpoint parks a valid
 * request under a login challenge and sends the browser to {@code /login?login_challenge=...}; these pages ask for
 * the email, then a password or a magic code (or send the user to their organization's SSO), let a member of several
 * organizations pick one, ask a third-party client's consent, and accept the challenge with the user at
 * session-service, whose answer (the client's exactly registered redirect URI with the code) is where the browser
 * goes. Every form is CSRF-protected ({@link Csrf}).
 */
@Hidden
@Controller("/login")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SignInPages {
    static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{1,63}");
    private final Pages pages;
    private final Csrf csrf;
    private final Themes themes;
    private final PageCredentials credentials;
    private final SessionClient sessions;
    private final TenantClient tenants;
    private final LoginSessions logins;
    private final PendingSignIns pending;
    private final ConsentStore consents;
    private final PagesConfig config;
    private final Clock clock;

    public SignInPages(Pages pages, Csrf csrf, Themes themes, PageCredentials credentials, SessionClient sessions,
                       TenantClient tenants, LoginSessions logins, PendingSignIns pending, ConsentStore consents,
                       PagesConfig config, Clock clock) {
        this.pages = pages;
        this.csrf = csrf;
        this.themes = themes;
        this.credentials = credentials;
        this.sessions = sessions;
        this.tenants = tenants;
        this.logins = logins;
        this.pending = pending;
        this.consents = consents;
        this.config = config;
        this.clock = clock;
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> start(HttpRequest<?> request, @QueryValue("login_challenge") @Nullable String loginChallenge,
                                 @QueryValue @Nullable String org, @QueryValue("return_to") @Nullable String returnTo) {
        Flow flow = Flow.of(loginChallenge, org, returnTo);
        Optional<SessionClient.Challenge> challenge = challenge(flow);
        Optional<SignedInUser> signedIn = logins.find(request);
        if (signedIn.isPresent() && challenge.isEmpty() && flow.returnTo() != null) {
            return seeOther(flow.returnTo());
        }
        return emailPage(request, flow, challenge, null).with("signedInAs", signedIn.map(SignedInUser::email)
                .orElse(null)).render();
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> email(HttpRequest<?> request, @Body Map<String, String> form) {
        csrf.verify(request, form);
        Flow flow = Flow.of(form);
        Optional<SessionClient.Challenge> challenge = challenge(flow);
        if ("continue".equals(form.get("as"))) {
            // "Continue as ...": the browser's hosted sign-in, re-checked against the user's current memberships
            SignedInUser user = logins.find(request).orElseThrow(() -> PageException.expired(
                    "Your sign-in has ended. Please sign in again.", "/login"));
            return afterAuthentication(request, flow, challenge, credentials.reload(user));
        }
        String email = normalise(form.get("email"));
        if (email == null) {
            return emailPage(request, flow, challenge, form.get("email"))
                    .error("email", "Enter an email address in the form name@example.com").render();
        }
        return methodsPage(request, flow, challenge, email).render();
    }

    /** The email step again, for a form that reached a later step without a usable address. */
    private HttpResponse<?> emailMissing(HttpRequest<?> request, Flow flow,
                                         Optional<SessionClient.Challenge> challenge) {
        return emailPage(request, flow, challenge, null)
                .error("email", "Enter an email address in the form name@example.com").render();
    }

    @Post(value = "/password", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> password(HttpRequest<?> request, @Body Map<String, String> form) {
        csrf.verify(request, form);
        Flow flow = Flow.of(form);
        Optional<SessionClient.Challenge> challenge = challenge(flow);
        String email = normalise(form.get("email"));
        if (email == null) {
            return emailMissing(request, flow, challenge);
        }
        String password = form.getOrDefault("password", "");
        if (password.isEmpty()) {
            return methodsPage(request, flow, challenge, email).error("password", "Enter your password").render();
        }
        return switch (credentials.password(email, password, address(request))) {
            case PageCredentials.Authenticated ok -> afterAuthentication(request, flow, challenge, ok.user());
            case PageCredentials.Refused refused -> methodsPage(request, flow, challenge, email)
                    .status(refused.status()).error("password", refused.message()).render();
        };
    }

    @Post(value = "/magic/send", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> sendMagicCode(HttpRequest<?> request, @Body Map<String, String> form) {
        csrf.verify(request, form);
        Flow flow = Flow.of(form);
        Optional<SessionClient.Challenge> challenge = challenge(flow);
        String email = normalise(form.get("email"));
        if (email == null) {
            return emailMissing(request, flow, challenge);
        }
        boolean resend = "true".equals(form.get("resend"));
        Optional<String> refused = credentials.sendMagicCode(email, null, address(request));
        Pages.Builder page = magicPage(request, flow, email).with("resent", resend && refused.isEmpty())
                .with("invitation", form.get("invitation"));
        refused.ifPresent(message -> page.status(HttpStatus.TOO_MANY_REQUESTS).error("code", message));
        return page.render();
    }

    @Post(value = "/magic", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> magicCode(HttpRequest<?> request, @Body Map<String, String> form) {
        csrf.verify(request, form);
        Flow flow = Flow.of(form);
        Optional<SessionClient.Challenge> challenge = challenge(flow);
        String email = normalise(form.get("email"));
        if (email == null) {
            return emailMissing(request, flow, challenge);
        }
        String code = form.getOrDefault("code", "").replaceAll("\\s", "");
        if (!code.matches("[0-9]{6}")) {
            return magicPage(request, flow, email).error("code", "Enter the 6-digit code from the email").render();
        }
        return switch (credentials.magicCode(email, code, address(request))) {
            case PageCredentials.Authenticated ok -> {
                String invitation = form.get("invitation");
                Flow next = flow;
                if (invitation != null && !invitation.isBlank()) {
                    // sign-up from an invitation link: the address is proven now, so the invitation can be accepted
                    next = credentials.acceptInvitation(invitation, ok.user())
                            .map(org -> new Flow(flow.loginChallenge(), org, flow.returnTo())).orElse(flow);
                }
                yield afterAuthentication(request, next, challenge, ok.user());
            }
            case PageCredentials.Refused refused -> magicPage(request, flow, email).status(refused.status())
                    .with("invitation", form.get("invitation")).error("code", refused.message()).render();
        };
    }

    @Post(value = "/organization", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> organization(HttpRequest<?> request, @Body Map<String, String> form) {
        Csrf.Binding browser = verified(request, form);
        Flow flow = Flow.of(form);
        Optional<SessionClient.Challenge> challenge = challenge(flow);
        SignedInUser user = pending.take(form.get("pending"), flow.loginChallenge(), browser.cookieValue())
                .orElseThrow(() -> PageException.expired("This sign-in has expired. Please sign in again.",
                        restart(flow)));
        String chosen = form.get("organization_id");
        List<TenantClient.UserOrganization> memberships = tenants.organizationsOf(
                new dev.gatehouse.contract.id.UserId(user.userId()));
        if (chosen == null || memberships.stream().noneMatch(o -> o.id().equals(chosen))) {
            throw new PageException(HttpStatus.FORBIDDEN, "Not a member",
                    "You are not a member of that organization.", restart(flow));
        }
        return afterOrganization(request, new Flow(flow.loginChallenge(), chosen, flow.returnTo()), challenge,
                user.inOrganization(chosen));
    }

    @Post(value = "/consent", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> consent(HttpRequest<?> request, @Body Map<String, String> form) {
        Csrf.Binding browser = verified(request, form);
        Flow flow = Flow.of(form);
        SessionClient.Challenge challenge = challenge(flow).orElseThrow(() -> PageException.expired(
                "This sign-in has expired. Go back to the application and sign in again.", null));
        SignedInUser user = pending.take(form.get("consent"), flow.loginChallenge(), browser.cookieValue())
                .orElseThrow(() -> PageException.expired("This sign-in has expired. Please sign in again.",
                        restart(flow)));
        if ("allow".equals(form.get("decision"))) {
            consents.grant(user.userId(), challenge.clientId(), challenge.scopes());
            return accept(request, flow, challenge, user, List.of());
        }
        String redirect = sessions.rejectChallenge(flow.loginChallenge(), "access_denied",
                        "The user denied the request")
                .orElseThrow(() -> PageException.expired("This sign-in has expired.", null));
        return flow.into(pages.page(request, "pages/continue", "Access denied"))
                .with("message", "You did not allow " + challenge.clientDisplayName() + " to access your account.")
                .with("clientName", challenge.clientDisplayName()).with("refreshTo", redirect).render();
    }

    /** The user proved who they are: pick the organization, then consent and accept. */
    private HttpResponse<?> afterAuthentication(HttpRequest<?> request, Flow flow,
                                                Optional<SessionClient.Challenge> challenge, SignedInUser user) {
        List<TenantClient.UserOrganization> memberships = tenants.organizationsOf(
                new dev.gatehouse.contract.id.UserId(user.userId()));
        Optional<TenantClient.UserOrganization> hinted = flow.org() == null ? Optional.empty()
                : memberships.stream().filter(o -> o.id().equals(flow.org()) || o.slug().equals(flow.org())).findFirst();
        if (hinted.isPresent() || memberships.size() <= 1) {
            String org = hinted.map(TenantClient.UserOrganization::id)
                    .orElse(memberships.isEmpty() ? null : memberships.getFirst().id());
            return afterOrganization(request, flow, challenge, user.inOrganization(org));
        }
        Csrf.Binding browser = csrf.binding(request);
        String token = pending.put(user, flow.loginChallenge(), browser.cookieValue());
        List<Map<String, Object>> choices = new ArrayList<>();
        for (TenantClient.UserOrganization o : memberships) {
            Theme theme = themes.resolve(o.id());
            Map<String, Object> choice = new HashMap<>();
            choice.put("id", o.id());
            choice.put("name", o.displayName());
            choice.put("logoUrl", theme.logoUrl());
            choices.add(choice);
        }
        return flow.into(pages.page(request, "pages/organizations", "Choose an organization"))
                .with("organizations", choices).with("pending", token).render();
    }

    private HttpResponse<?> afterOrganization(HttpRequest<?> request, Flow flow,
                                              Optional<SessionClient.Challenge> challenge, SignedInUser user) {
        List<Cookie> cookies = List.of(logins.start(user));
        if (challenge.isPresent()) {
            SessionClient.Challenge asked = challenge.get();
            if (!config.firstPartyClients().contains(asked.clientId())
                    && !consents.missing(user.userId(), asked.clientId(), asked.scopes()).isEmpty()) {
                Csrf.Binding browser = csrf.binding(request);
                String token = pending.put(user, flow.loginChallenge(), browser.cookieValue());
                MutableHttpResponse<?> response = flow.into(pages.page(request, "pages/consent",
                                "Allow " + asked.clientDisplayName() + "?"))
                        .organization(user.organizationId())
                        .with("clientName", asked.clientDisplayName()).with("email", user.email())
                        .with("scopes", describe(asked.scopes())).with("consentToken", token).render();
                cookies.forEach(response::cookie);
                return response;
            }
            return accept(request, flow, asked, user, cookies);
        }
        credentials.signedIn(user, null, address(request));
        MutableHttpResponse<?> response = flow.returnTo() != null ? seeOther(flow.returnTo())
                : flow.into(pages.page(request, "pages/signed-in", "You are signed in"))
                .organization(user.organizationId()).with("email", user.email()).render();
        cookies.forEach(response::cookie);
        return response;
    }

    private HttpResponse<?> accept(HttpRequest<?> request, Flow flow, SessionClient.Challenge challenge,
                                   SignedInUser user, List<Cookie> cookies) {
        String redirect = sessions.acceptChallenge(flow.loginChallenge(), new SessionClient.UserAssertion(
                        user.userId(), user.organizationId(), user.email(), user.emailVerified(), user.name(),
                        user.pictureUrl(), user.platformAdmin(), user.authTime()))
                .orElseThrow(() -> PageException.expired(
                        "This sign-in has expired. Go back to the application and sign in again.", null));
        credentials.signedIn(user, challenge.clientId(), address(request));
        // a page, not a 302: the content security policy allows forms to post only to this host, and browsers apply
        // form-action to the redirects that follow a form too
        MutableHttpResponse<?> response = flow.into(pages.page(request, "pages/continue", "Signed in"))
                .organization(user.organizationId())
                .with("message", "You are signed in. Taking you back to " + challenge.clientDisplayName() + "...")
                .with("clientName", challenge.clientDisplayName()).with("refreshTo", redirect).render();
        cookies.forEach(response::cookie);
        return response;
    }

    private Pages.Builder emailPage(HttpRequest<?> request, Flow flow, Optional<SessionClient.Challenge> challenge,
                                    @Nullable String email) {
        return flow.into(pages.page(request, "pages/sign-in", "Sign in"))
                .with("clientName", challenge.map(SessionClient.Challenge::clientDisplayName).orElse(null))
                .with("email", email);
    }

    private Pages.Builder methodsPage(HttpRequest<?> request, Flow flow, Optional<SessionClient.Challenge> challenge,
                                      String email) {
        Pages.Builder page = flow.into(pages.page(request, "pages/sign-in-methods", "Sign in"))
                .with("clientName", challenge.map(SessionClient.Challenge::clientDisplayName).orElse(null))
                .with("email", email).with("passwordAllowed", true).with("ssoUrl", null);
        credentials.sso(email, request).ifPresent(sso -> page.with("ssoUrl", sso.url()).with("ssoName", sso.name()));
        return page;
    }

    private Pages.Builder magicPage(HttpRequest<?> request, Flow flow, String email) {
        return flow.into(pages.page(request, "pages/magic", "Check your email")).with("email", email)
                .with("resent", false).with("invitation", null);
    }

    private Optional<SessionClient.Challenge> challenge(Flow flow) {
        if (flow.loginChallenge() == null) {
            return Optional.empty();
        }
        return Optional.of(sessions.challenge(flow.loginChallenge()).orElseThrow(() -> PageException.expired(
                "This sign-in link has expired or was already used. Go back to the application and sign in again.",
                null)));
    }

    private Csrf.Binding verified(HttpRequest<?> request, Map<String, String> form) {
        csrf.verify(request, form);
        return csrf.binding(request);
    }

    private static String restart(Flow flow) {
        return flow.loginChallenge() == null ? "/login" : "/login?login_challenge=" + flow.loginChallenge();
    }

    private static @Nullable String normalise(@Nullable String email) {
        if (email == null) {
            return null;
        }
        String e = email.strip();
        return e.length() <= 320 && EMAIL.matcher(e).matches() ? e.toLowerCase(java.util.Locale.ROOT) : null;
    }

    static @Nullable String address(HttpRequest<?> request) {
        return request.getRemoteAddress().getAddress() == null ? null
                : request.getRemoteAddress().getAddress().getHostAddress();
    }

    static MutableHttpResponse<?> seeOther(String location) {
        return HttpResponse.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, location);
    }

    /** Scopes as people read them. */
    static List<String> describe(List<String> scopes) {
        List<String> out = new ArrayList<>();
        for (String s : scopes) {
            out.add(switch (s) {
                case "openid" -> "Know who you are";
                case "profile" -> "See your name and picture";
                case "email" -> "See your email address";
                case "offline_access" -> "Stay signed in (keep access while you are away)";
                default -> s;
            });
        }
        return out;
    }
}
