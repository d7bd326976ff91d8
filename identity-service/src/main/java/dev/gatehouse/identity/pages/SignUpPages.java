package dev.gatehouse.identity.pages;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;

import java.util.Map;
import java.util.Optional;

/**
 * The hosted sign-up (seed 004's model): name and email (and an invitation token from an invitation link). The address
 * is proven with a magic code, which creates the account, accepts the invitation, signs the user in and continues the
 * flow (login challenge or return page). An address that already has an account gets the same answer (the code signs
 * into the existing account), so the page does not reveal who has an account.
 */
@Hidden
@Controller("/signup")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SignUpPages {
    private final Pages pages;
    private final Csrf csrf;
    private final PageCredentials credentials;

    public SignUpPages(Pages pages, Csrf csrf, PageCredentials credentials) {
        this.pages = pages;
        this.csrf = csrf;
        this.credentials = credentials;
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> start(HttpRequest<?> request, @QueryValue("login_challenge") @Nullable String loginChallenge,
                                 @QueryValue @Nullable String org, @QueryValue("return_to") @Nullable String returnTo,
                                 @QueryValue @Nullable String invitation) {
        Flow flow = Flow.of(loginChallenge, org, returnTo);
        Pages.Builder page = page(request, flow, invitation);
        if (invitation != null) {
            credentials.invitation(invitation).ifPresentOrElse(
                    invited -> page.with("invitationOrg", invited.organizationName()).with("email", invited.email())
                            .organization(invited.organizationId()),
                    () -> page.with("invitation", null).error("email",
                            "This invitation is no longer valid. You can still create an account"));
        }
        return page.render();
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> signUp(HttpRequest<?> request, @Body Map<String, String> form) {
        csrf.verify(request, form);
        Flow flow = Flow.of(form);
        String name = form.getOrDefault("name", "").strip();
        String email = form.getOrDefault("email", "").strip().toLowerCase(java.util.Locale.ROOT);
        Pages.Builder page = page(request, flow, form.get("invitation")).with("name", name).with("email", email);
        boolean bad = false;
        if (name.isEmpty() || name.length() > 200) {
            page.error("name", "Enter your name");
            bad = true;
        }
        if (!SignInPages.EMAIL.matcher(email).matches() || email.length() > 320) {
            page.error("email", "Enter an email address in the form name@example.com");
            bad = true;
        }
        if (bad) {
            return page.render();
        }
        Optional<String> refused = credentials.sendMagicCode(email, name, SignInPages.address(request));
        if (refused.isPresent()) {
            return page.status(HttpStatus.TOO_MANY_REQUESTS).error("email", refused.get()).render();
        }
        return flow.into(pages.page(request, "pages/magic", "Check your email")).with("email", email)
                .with("resent", false).with("invitation", form.get("invitation")).render();
    }

    private Pages.Builder page(HttpRequest<?> request, Flow flow, @Nullable String invitation) {
        return flow.into(pages.page(request, "pages/sign-up", "Create your account")).with("invitation", invitation)
                .with("name", null).with("email", null).with("invitationOrg", null);
    }
}
