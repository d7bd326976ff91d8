package dev.gatehouse.identity.pages;

import io.micronaut.core.annotation.Nullable;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a hosted sign-in leads, carried from page to page: the login challenge of session-service's authorization
 * endpoint (or none), the organization whose theme the pages wear (id or slug, a hint only), and a safe local page to
 * return to when there is no challenge.
 */
public record Flow(@Nullable String loginChallenge, @Nullable String org, @Nullable String returnTo) {
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{16,128}");

    /** From query or form parameters; a malformed challenge is a 400, a bad org or return path is dropped. */
    public static Flow of(@Nullable String loginChallenge, @Nullable String org, @Nullable String returnTo) {
        String challenge = loginChallenge == null || loginChallenge.isEmpty() ? null : loginChallenge;
        if (challenge != null && !CHALLENGE.matcher(challenge).matches()) {
            throw PageException.badRequest("This sign-in link is not valid. Go back to the application and try again.");
        }
        String o = org == null || !Theme.KEY.matcher(org).matches() ? null : org;
        return new Flow(challenge, o, ReturnTo.safe(returnTo));
    }

    public static Flow of(Map<String, String> form) {
        return of(form.get("login_challenge"), form.get("org"), form.get("return_to"));
    }

    /** Puts the flow into a page's model (hidden fields and links). */
    public Pages.Builder into(Pages.Builder page) {
        return page.with("loginChallenge", loginChallenge).with("org", org).with("returnTo", returnTo)
                .organization(org);
    }
}
