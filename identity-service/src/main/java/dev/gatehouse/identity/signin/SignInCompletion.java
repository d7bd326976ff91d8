package dev.gatehouse.identity.signin;

import dev.gatehouse.identity.platform.SessionClient;
import dev.gatehouse.identity.platform.SessionClient.SessionTokens;
import dev.gatehouse.identity.platform.TenantClient;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import dev.gatehouse.identity.user.UserView;
import dev.gatehouse.kit.http.Problem.FieldError;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The common end of every sign-in (password, magic code, upstream OAuth, dev): given an authenticated user and where
 * they sign in, decide the organization, open the session at session-service and answer seed 004's
 * {@link AuthResult}. One organization (or none): signed in. Several and none chosen: {@code orgSelectionRequired}
 * with a single-use {@code pendingAuthenticationToken}, completed by {@link #select}.
 */
@Singleton
public class SignInCompletion {
    static final FieldError BAD_PENDING = new FieldError("pendingAuthenticationToken",
            "is not valid (expired, already used or unknown); sign in again");
    private final TenantClient tenants;
    private final SessionClient sessions;
    private final PendingAuthentications pending;
    private final UserDirectory users;
    private final SignInEvents events;
    private final SessionCookieWriter cookies;
    private final Clock clock;

    public SignInCompletion(TenantClient tenants, SessionClient sessions, PendingAuthentications pending,
                            UserDirectory users, SignInEvents events, SessionCookieWriter cookies, Clock clock) {
        this.tenants = tenants;
        this.sessions = sessions;
        this.pending = pending;
        this.users = users;
        this.events = events;
        this.cookies = cookies;
        this.clock = clock;
    }

    /**
     * The outcome: the answer, and the session when one was opened (its cookie or tokens).
     *
     * @param session null while an organization choice is pending
     */
    public record Completed(AuthResult result, @Nullable SessionTokens session) {
        public boolean authenticated() {
            return result instanceof AuthResult.Authenticated;
        }

        @Override
        public String toString() {
            return "Completed[" + result.status() + "]";
        }
    }

    /** Completes the sign-in of {@code user}. */
    public Completed complete(User user, SignInContext context) {
        List<TenantClient.UserOrganization> organizations = tenants.organizationsOf(user.userId());
        if (context.organizationId() != null) {
            if (organizations.stream().noneMatch(o -> o.id().equals(context.organizationId()))) {
                throw new ProblemException(ProblemType.FORBIDDEN, "You are not a member of that organization");
            }
            return open(user, context, context.organizationId());
        }
        if (organizations.size() <= 1) {
            return open(user, context, organizations.isEmpty() ? null : organizations.getFirst().id());
        }
        String token = pending.issue(new PendingAuthentications.Pending(user.id(), context,
                organizations.stream().map(TenantClient.UserOrganization::id).toList()));
        return new Completed(new AuthResult.OrgSelectionRequired(token, organizations.stream()
                .map(o -> new AuthResult.OrganizationChoice(o.id(), o.displayName())).toList()), null);
    }

    /**
     * Completes a pending sign-in in the chosen organization ({@code POST /auth/organization/select}). The token is
     * consumed whatever the outcome; a bad token is a 400 naming {@code pendingAuthenticationToken}.
     */
    public Completed select(String pendingToken, String organizationId) {
        PendingAuthentications.Pending taken = pending.take(pendingToken)
                .orElseThrow(() -> new ProblemException(ProblemType.VALIDATION_FAILED,
                        "The pendingAuthenticationToken is not valid", List.of(BAD_PENDING)));
        User user = users.find(new dev.gatehouse.contract.id.UserId(taken.userId()))
                .orElseThrow(() -> new ProblemException(ProblemType.VALIDATION_FAILED,
                        "The pendingAuthenticationToken is not valid", List.of(BAD_PENDING)));
        if (!taken.organizationIds().contains(organizationId)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "You are not a member of that organization");
        }
        // still a member now?
        if (tenants.membership(new dev.gatehouse.contract.id.OrgId(organizationId), user.userId()).isEmpty()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "You are not a member of that organization");
        }
        return open(user, taken.context(), organizationId);
    }

    /** Opens the session in {@code organizationId} (or none) and answers {@code authenticated}. */
    public Completed open(User user, SignInContext context, @Nullable String organizationId) {
        SessionTokens session = sessions.open(new SessionClient.OpenSession(assertion(user, organizationId),
                context.clientId(), context.scopes(), null, context.delivery(), context.userAgent(),
                context.ipAddress()));
        events.signedIn(user.userId(), context.method(), context.clientId(), organizationId, session.sessionId(),
                context.ipAddress());
        return new Completed(new AuthResult.Authenticated(UserView.of(user)), session);
    }

    /** What session-service is told about the user. */
    public SessionClient.UserAssertion assertion(User user, @Nullable String organizationId) {
        String picture = user.pictureUrl() != null && user.pictureUrl().startsWith("https://") ? user.pictureUrl()
                : null;
        return new SessionClient.UserAssertion(user.id(), organizationId, user.email(), user.emailVerified(),
                user.name(), picture, user.platformAdmin(), clock.instant());
    }

    /**
     * The HTTP answer of a completion: 200 with the {@link AuthResult}, plus the session cookie when a browser
     * session was opened.
     */
    public MutableHttpResponse<AuthResult> respond(Completed completed) {
        MutableHttpResponse<AuthResult> response = HttpResponse.ok(completed.result());
        Optional.ofNullable(completed.session()).map(SessionTokens::cookie)
                .ifPresent(cookie -> cookies.write(response, cookie));
        return response.header("Cache-Control", "no-store");
    }
}
