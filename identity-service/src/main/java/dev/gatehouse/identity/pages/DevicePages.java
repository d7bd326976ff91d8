package dev.gatehouse.identity.pages;

import dev.gatehouse.identity.platform.SessionClient;
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
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The device verification page (RFC 8628 §3.3), session-service's {@code verification_uri}: a signed-in user types the
 * code their device shows (or arrives with it from {@code verification_uri_complete}), sees which client asks for
 * what, and approves or denies. Approval opens the device's session as this user in the organization they signed in
 * with. The user always confirms: a prefilled code alone never approves anything.
 */
@Hidden
@Controller("/device")
@ExecuteOn(TaskExecutors.BLOCKING)
public class DevicePages {
    private static final Pattern TYPED = Pattern.compile("[A-Za-z -]{1,16}");
    private final Pages pages;
    private final Csrf csrf;
    private final LoginSessions logins;
    private final DeviceClient devices;
    private final Themes themes;

    public DevicePages(Pages pages, Csrf csrf, LoginSessions logins, DeviceClient devices, Themes themes) {
        this.pages = pages;
        this.csrf = csrf;
        this.logins = logins;
        this.devices = devices;
        this.themes = themes;
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> start(HttpRequest<?> request, @QueryValue("user_code") @Nullable String userCode) {
        String code = userCode == null || !TYPED.matcher(userCode).matches() ? null : userCode;
        Optional<SignedInUser> user = logins.find(request);
        if (user.isEmpty()) {
            String back = code == null ? "/device" : "/device?user_code=" + code.replace(' ', '-');
            return SignInPages.seeOther(UriBuilder.of("/login").queryParam("return_to", back).toString());
        }
        return codePage(request, user.get(), code).render();
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> lookup(HttpRequest<?> request, @Body Map<String, String> form) {
        csrf.verify(request, form);
        SignedInUser user = signedIn(request);
        String code = form.getOrDefault("user_code", "").strip();
        if (code.isEmpty()) {
            return codePage(request, user, null).error("user_code", "Enter the code shown on your device").render();
        }
        return switch (devices.lookup(code, user.userId())) {
            case DeviceClient.Found found -> pages.page(request, "pages/device-confirm",
                            "Sign in " + found.view().clientDisplayName() + "?")
                    .organization(user.organizationId())
                    .with("clientName", found.view().clientDisplayName()).with("email", user.email())
                    .with("orgName", user.organizationId() == null ? null
                            : themes.resolve(user.organizationId()).name())
                    .with("userCode", pretty(code)).with("scopes", SignInPages.describe(found.view().scopes()))
                    .render();
            case DeviceClient.Outcome other -> refused(request, user, code, other);
        };
    }

    @Post(value = "/decision", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> decide(HttpRequest<?> request, @Body Map<String, String> form) {
        csrf.verify(request, form);
        SignedInUser user = signedIn(request);
        String code = form.getOrDefault("user_code", "").strip();
        String decision = form.get("decision");
        if (code.isEmpty() || !("approve".equals(decision) || "deny".equals(decision))) {
            throw PageException.badRequest("Choose Approve or Deny.");
        }
        boolean approve = "approve".equals(decision);
        DeviceClient.Outcome outcome = approve
                ? devices.approve(code, new SessionClient.UserAssertion(user.userId(), user.organizationId(),
                user.email(), user.emailVerified(), user.name(), user.pictureUrl(), user.platformAdmin(),
                user.authTime()))
                : devices.deny(code, user.userId());
        if (outcome instanceof DeviceClient.Done) {
            return pages.page(request, "pages/device-done", approve ? "Device approved" : "Device denied")
                    .organization(user.organizationId())
                    .with("message", approve ? "Your device is now signed in." : "The device was not signed in.")
                    .render();
        }
        return refused(request, user, code, outcome);
    }

    private HttpResponse<?> refused(HttpRequest<?> request, SignedInUser user, String code,
                                    DeviceClient.Outcome outcome) {
        Pages.Builder page = codePage(request, user, code);
        return switch (outcome) {
            case DeviceClient.Malformed m -> page.error("user_code",
                    "The code has 8 letters, like BCDF-GHJK. Check it and try again").render();
            case DeviceClient.Unknown u -> page.error("user_code",
                    "That code is not valid or has expired. Check your device and try again").render();
            case DeviceClient.AlreadyDecided d -> page.status(HttpStatus.CONFLICT).error("user_code",
                    "That code has already been used. Start again on your device").render();
            case DeviceClient.TooManyAttempts t -> page.status(HttpStatus.TOO_MANY_REQUESTS).error("user_code",
                    "Too many wrong codes. Wait a few minutes and try again").render();
            case DeviceClient.Found f -> throw new IllegalStateException("not a refusal");
            case DeviceClient.Done d -> throw new IllegalStateException("not a refusal");
        };
    }

    private Pages.Builder codePage(HttpRequest<?> request, SignedInUser user, @Nullable String code) {
        return pages.page(request, "pages/device", "Connect a device").organization(user.organizationId())
                .with("email", user.email()).with("userCode", code);
    }

    private SignedInUser signedIn(HttpRequest<?> request) {
        return logins.find(request).orElseThrow(() -> PageException.expired(
                "Your sign-in has ended. Please sign in again.", "/login?return_to=/device"));
    }

    private static String pretty(String code) {
        String letters = code.replaceAll("[^A-Za-z]", "").toUpperCase(java.util.Locale.ROOT);
        return letters.length() == 8 ? letters.substring(0, 4) + "-" + letters.substring(4) : letters;
    }
}
