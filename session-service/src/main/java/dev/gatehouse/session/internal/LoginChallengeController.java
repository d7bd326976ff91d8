package dev.gatehouse.session.internal;

import dev.gatehouse.kit.http.Problem.FieldError;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.session.ServerConfig;
import dev.gatehouse.session.authorize.AuthorizationGrantData;
import dev.gatehouse.session.authorize.AuthorizationRequest;
import dev.gatehouse.session.authorize.AuthorizationStore;
import dev.gatehouse.session.authorize.AuthorizeEndpoint;
import dev.gatehouse.session.client.ClientRegistry;
import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.token.ApiAccess;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The login-challenge half of the authorization endpoint, for identity-service (service token with
 * {@code gatehouse:internal}): read what the client asks for, then accept with the signed-in user, or reject. Each
 * challenge is answered once; the answer is where to send the browser.
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/internal/v1/login-challenges")
@Tag(name = "internal")
public class LoginChallengeController {
    private static final Set<String> REJECT_ERRORS = Set.of("access_denied", "login_required", "consent_required",
            "account_selection_required", "interaction_required", "temporarily_unavailable");
    private final AuthorizationStore store;
    private final ClientRegistry clients;
    private final ApiAccess access;
    private final ServerConfig config;
    private final Clock clock;

    public LoginChallengeController(AuthorizationStore store, ClientRegistry clients, ApiAccess access,
                                    ServerConfig config, Clock clock) {
        this.store = store;
        this.clients = clients;
        this.access = access;
        this.config = config;
        this.clock = clock;
    }

    /**
     * A pending authorization request, as the sign-in and consent pages show it.
     *
     * @param clientId          the client
     * @param clientDisplayName its display name
     * @param scopes            requested scopes
     * @param requestedAt       when
     */
    @Serdeable
    public record ChallengeView(String clientId, String clientDisplayName, List<String> scopes,
                                java.time.Instant requestedAt) {
    }

    /** Where the browser goes next. */
    @Serdeable
    public record Redirect(String redirectTo) {
    }

    /**
     * A rejection.
     *
     * @param error            an RFC 6749 / OIDC error code (default {@code access_denied})
     * @param errorDescription shown to the client
     */
    @Serdeable
    public record Rejection(@Nullable String error, @Nullable String errorDescription) {
    }

    @Operation(summary = "Read a pending authorization request")
    @Get("/{challenge}")
    public ChallengeView read(HttpRequest<?> request, @PathVariable String challenge) {
        access.requireInternalService(request);
        AuthorizationRequest pending = store.peekChallenge(challenge).orElseThrow(LoginChallengeController::gone);
        OAuthClient client = clients.find(pending.clientId()).orElseThrow(LoginChallengeController::gone);
        return new ChallengeView(client.clientId(), client.displayName(), pending.scopes(), pending.requestedAt());
    }

    @Operation(summary = "Accept: the user signed in; returns the redirect with the authorization code")
    @Post("/{challenge}/accept")
    public Redirect accept(HttpRequest<?> request, @PathVariable String challenge, @Body UserAssertion user) {
        access.requireInternalService(request);
        List<FieldError> problems = user.problems("");
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "the user assertion is not valid", problems);
        }
        AuthorizationRequest pending = store.takeChallenge(challenge).orElseThrow(LoginChallengeController::gone);
        String code = store.issueCode(new AuthorizationGrantData(pending, user.userId(), user.organizationId(),
                user.claims(), user.isPlatformAdmin(), user.authTime() == null ? clock.instant() : user.authTime()));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        if (pending.state() != null) {
            params.put("state", pending.state());
        }
        params.put("iss", config.issuer().toString());
        return new Redirect(AuthorizeEndpoint.withQuery(pending.redirectUri(), params));
    }

    @Operation(summary = "Reject: returns the redirect with the error")
    @Post("/{challenge}/reject")
    public Redirect reject(HttpRequest<?> request, @PathVariable String challenge, @Body @Nullable Rejection rejection) {
        access.requireInternalService(request);
        String error = rejection == null || rejection.error() == null ? "access_denied" : rejection.error();
        if (!REJECT_ERRORS.contains(error)) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "unknown error code",
                    List.of(new FieldError("error", "must be one of " + REJECT_ERRORS)));
        }
        String description = rejection == null ? null : rejection.errorDescription();
        if (description != null && description.length() > 500) {
            description = description.substring(0, 500);
        }
        AuthorizationRequest pending = store.takeChallenge(challenge).orElseThrow(LoginChallengeController::gone);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error);
        if (description != null) {
            params.put("error_description", description);
        }
        if (pending.state() != null) {
            params.put("state", pending.state());
        }
        params.put("iss", config.issuer().toString());
        return new Redirect(AuthorizeEndpoint.withQuery(pending.redirectUri(), params));
    }

    private static ProblemException gone() {
        return new ProblemException(ProblemType.NOT_FOUND, "no such login challenge (expired or already answered)");
    }
}
