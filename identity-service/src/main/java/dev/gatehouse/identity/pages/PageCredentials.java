package dev.gatehouse.identity.pages;

import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.identity.platform.TenantClient;
import dev.gatehouse.identity.signin.SignInEvents;
import dev.gatehouse.identity.internal.http.TooManyAttemptsException;
import dev.gatehouse.identity.magic.MagicAuth;
import dev.gatehouse.identity.password.PasswordSignIn;
import dev.gatehouse.identity.signin.Discovery;
import dev.gatehouse.identity.signin.SignInDiscovery;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Optional;

/**
 * What the pages need from identity-service's sign-in machinery (passwords, magic codes, sign-up, SSO discovery,
 * events), as values the pages render. The pages never decide whether a credential is right themselves.
 */
@Singleton
public class PageCredentials {
    static final String WRONG_CREDENTIALS = "The email address or password is not correct";
    private final UserDirectory users;
    private final PasswordSignIn passwords;
    private final SignInDiscovery discovery;
    private final MagicAuth magic;
    private final SignInEvents events;
    private final TenantClient tenants;
    private final Clock clock;

    public PageCredentials(UserDirectory users, PasswordSignIn passwords, SignInDiscovery discovery,
                           MagicAuth magic, SignInEvents events, TenantClient tenants, Clock clock) {
        this.magic = magic;
        this.users = users;
        this.passwords = passwords;
        this.discovery = discovery;
        this.events = events;
        this.tenants = tenants;
        this.clock = clock;
    }

    /** The outcome of checking a credential. */
    public sealed interface Outcome permits Authenticated, Refused {
    }

    public record Authenticated(SignedInUser user) implements Outcome {
    }

    /** Refused, with the status and the message the page shows (the same for every reason that could enumerate). */
    public record Refused(HttpStatus status, String message) implements Outcome {
    }

    /** An organization's single sign-on for this address. */
    public record Sso(String url, String name) {
    }

    /** An invitation, as the sign-up page shows it. */
    public record Invited(String organizationId, String organizationName, String email) {
    }

    public Outcome password(String email, String password, @Nullable String ip) {
        return switch (passwords.byEmail(email, password, ip)) {
            case PasswordSignIn.Verified verified -> new Authenticated(signedIn(verified.user(), "password"));
            case PasswordSignIn.Rejected rejected -> new Refused(HttpStatus.UNPROCESSABLE_ENTITY, WRONG_CREDENTIALS);
            case PasswordSignIn.Throttled throttled -> new Refused(HttpStatus.TOO_MANY_REQUESTS,
                    "Too many attempts. Try again in " + minutes(throttled.retryAfter())
                            + ", or email yourself a sign-in code");
        };
    }

    private static String minutes(java.time.Duration wait) {
        long m = Math.max(1, (wait.toSeconds() + 59) / 60);
        return m == 1 ? "a minute" : m + " minutes";
    }

    /**
     * Sends (or re-sends) a magic code; the answer is a refusal message (rate limit), or empty when sent. Unknown
     * addresses get the same answer.
     */
    public Optional<String> sendMagicCode(String email, @Nullable String name, @Nullable String ip) {
        try {
            magic.send(email, name, ip);
            return Optional.empty();
        } catch (TooManyAttemptsException e) {
            return Optional.of("Too many codes were requested. Wait " + minutes(e.retryAfter())
                    + " and ask for a new one");
        }
    }

    public Outcome magicCode(String email, String code, @Nullable String ip) {
        return switch (magic.redeem(email, code)) {
            case MagicAuth.Verified verified -> new Authenticated(signedIn(verified.user(), "magic"));
            case MagicAuth.Refused refused -> {
                events.failed(null, email, "magic", refused.why().name().toLowerCase(java.util.Locale.ROOT), ip);
                yield switch (refused.why()) {
                    case WRONG -> new Refused(HttpStatus.UNPROCESSABLE_ENTITY,
                            "That code is not right. Check the email and try again");
                    default -> new Refused(HttpStatus.UNPROCESSABLE_ENTITY,
                            "That code is no longer valid. Ask for a new one below");
                };
            }
        };
    }

    /** Accepts an invitation for a user who proved the invited address; the organization joined, if it worked. */
    public Optional<String> acceptInvitation(String token, SignedInUser user) {
        if (user.email() == null || !user.emailVerified()) {
            return Optional.empty();
        }
        return switch (tenants.acceptInvitation(token, new UserId(user.userId()), user.email())) {
            case TenantClient.Invitation accepted -> Optional.of(accepted.organizationId());
            case TenantClient.InvitationRefused refused -> Optional.empty();
        };
    }

    public Optional<Invited> invitation(String token) {
        return switch (tenants.inspectInvitation(token)) {
            case TenantClient.Invitation invitation ->
                    Optional.of(new Invited(invitation.organizationId(), invitation.organizationName(),
                            invitation.email()));
            case TenantClient.InvitationRefused refused -> Optional.empty();
        };
    }

    /** SSO of the organization that verified the address's domain, when it has one. */
    public Optional<Sso> sso(String email, io.micronaut.http.HttpRequest<?> request) {
        Discovery found = discovery.discover(email, "web", request);
        return Discovery.SSO.equals(found.authMethod()) && found.redirectUrl() != null
                ? Optional.of(new Sso(found.redirectUrl(), "single sign-on")) : Optional.empty();
    }

    /** The user as stored now (name, picture, admin flag may have changed since the browser signed in). */
    public SignedInUser reload(SignedInUser user) {
        return users.find(new UserId(user.userId())).map(u -> signedIn(u, user.method()))
                .orElseThrow(() -> PageException.expired("Your sign-in has ended. Please sign in again.", "/login"));
    }

    /** Records {@code UserSignedIn} for a completed hosted sign-in. */
    public void signedIn(SignedInUser user, @Nullable String clientId, @Nullable String ip) {
        events.signedIn(new UserId(user.userId()), user.method(), clientId, user.organizationId(), null, ip);
    }

    SignedInUser signedIn(User user, String method) {
        String picture = user.pictureUrl() != null && user.pictureUrl().startsWith("https://") ? user.pictureUrl()
                : null;
        return new SignedInUser(user.id(), user.email(), user.emailVerified(), user.name(), picture,
                user.platformAdmin(), clock.instant(), null, method);
    }
}
