package dev.gatehouse.session.api;

import dev.gatehouse.contract.token.Principal;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.session.session.SessionRecord;
import dev.gatehouse.session.session.SessionService;
import dev.gatehouse.session.token.ApiAccess;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/**
 * A user's sessions: list them, revoke one, revoke all. Users act on their own; platform admins on anyone's
 * ({@code ?userId=}). A session of another user is reported as not found, never as forbidden.
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/api/v1/sessions")
@Tag(name = "sessions")
public class SessionsController {
    private final ApiAccess access;
    private final SessionService sessions;

    public SessionsController(ApiAccess access, SessionService sessions) {
        this.access = access;
        this.sessions = sessions;
    }

    /**
     * A session as its user sees it.
     *
     * @param id             the session id
     * @param organizationId its organization
     * @param clientId       the app
     * @param userAgent      the browser or device
     * @param ipAddress      where it signed in from
     * @param createdAt      sign-in time
     * @param lastSeenAt     last refresh
     * @param current        whether it is the session of the token making this request
     */
    @Serdeable
    public record SessionView(String id, @Nullable String organizationId, String clientId, @Nullable String userAgent,
                              @Nullable String ipAddress, Instant createdAt, Instant lastSeenAt, boolean current) {
    }

    @Serdeable
    public record Revoked(int revoked) {
    }

    @Operation(summary = "List live sessions (own, or a user's for platform admins)")
    @Get
    public Page<SessionView> list(HttpRequest<?> request, @QueryValue @Nullable String userId) {
        Principal principal = access.authenticate(request);
        String user = target(principal, userId);
        List<SessionView> views = sessions.activeSessions(user).stream().map(s -> view(s, principal)).toList();
        return Page.of(views, SessionService.MAX_LISTED, null);
    }

    @Operation(summary = "Revoke one session")
    @Delete("/{sessionId}")
    public HttpResponse<Void> revoke(HttpRequest<?> request, @PathVariable String sessionId) {
        Principal principal = access.authenticate(request);
        SessionRecord session = sessions.find(sessionId)
                .filter(s -> principal.platformAdmin() || s.userId().equals(principal.subject()))
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no such session"));
        sessions.revoke(session.id(), principal.platformAdmin() && !session.userId().equals(principal.subject())
                ? "revoked_by_admin" : "revoked");
        return HttpResponse.noContent();
    }

    @Operation(summary = "Revoke every session (own, or a user's for platform admins)")
    @Delete
    public Revoked revokeAll(HttpRequest<?> request, @QueryValue @Nullable String userId) {
        Principal principal = access.authenticate(request);
        String user = target(principal, userId);
        return new Revoked(sessions.revokeAll(user, null,
                user.equals(principal.subject()) ? "revoked" : "revoked_by_admin"));
    }

    private static String target(Principal principal, @Nullable String userId) {
        if (userId == null || userId.equals(principal.subject())) {
            if (principal.sessionId().isEmpty() && !principal.platformAdmin()) {
                throw new ProblemException(ProblemType.FORBIDDEN, "this needs a user's token");
            }
            return principal.subject();
        }
        if (!principal.platformAdmin()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "only platform admins act on other users' sessions");
        }
        return userId;
    }

    private static SessionView view(SessionRecord s, Principal principal) {
        return new SessionView(s.id(), s.organizationId(), s.clientId(), s.userAgent(), s.ipAddress(), s.createdAt(),
                s.lastSeenAt(), principal.sessionId().filter(s.id()::equals).isPresent());
    }
}
