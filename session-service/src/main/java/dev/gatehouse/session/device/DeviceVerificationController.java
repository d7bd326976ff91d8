package dev.gatehouse.session.device;

import dev.gatehouse.kit.http.Problem.FieldError;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.session.client.ClientRegistry;
import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.internal.UserAssertion;
import dev.gatehouse.session.token.ApiAccess;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The device flow's verification half, for identity-service's device page (service token with
 * {@code gatehouse:internal}): look up the user code the signed-in user typed, then approve it for that user and
 * organization, or deny it. Each grant is answered once (409 after). Attempts naming an unknown code are limited per
 * user and globally ({@link DeviceRateLimiter}); past a limit every attempt is a 429 with {@code Retry-After}.
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/internal/v1/device")
@Tag(name = "internal")
public class DeviceVerificationController {
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private final DeviceStore store;
    private final DeviceRateLimiter limiter;
    private final ClientRegistry clients;
    private final ApiAccess access;
    private final ErrorResponseProcessor<?> errors;
    private final Clock clock;

    public DeviceVerificationController(DeviceStore store, DeviceRateLimiter limiter, ClientRegistry clients,
                                        ApiAccess access, ErrorResponseProcessor<?> errors, Clock clock) {
        this.store = store;
        this.limiter = limiter;
        this.clients = clients;
        this.access = access;
        this.errors = errors;
        this.clock = clock;
    }

    /**
     * A lookup.
     *
     * @param userCode what the user typed (case and dashes do not matter)
     * @param subject  the signed-in user's id (the rate limit is per user)
     */
    @Serdeable
    public record LookupRequest(@Nullable String userCode, @Nullable String subject) {
        @Override
        public String toString() {
            return "LookupRequest[subject=" + subject + "]";
        }
    }

    /**
     * A pending device grant, as the device page shows it.
     *
     * @param clientId          the client (the device's application)
     * @param clientDisplayName its display name
     * @param scopes            requested scopes
     * @param expiresAt         when the user code expires
     */
    @Serdeable
    public record DeviceView(String clientId, String clientDisplayName, List<String> scopes, Instant expiresAt) {
    }

    /**
     * An approval.
     *
     * @param userCode what the user typed
     * @param user     the signed-in user, in the organization the device will act in
     */
    @Serdeable
    public record ApproveRequest(@Nullable String userCode, @Nullable UserAssertion user) {
        @Override
        public String toString() {
            return "ApproveRequest[user=" + (user == null ? null : user.userId()) + "]";
        }
    }

    /**
     * A denial.
     *
     * @param userCode what the user typed
     * @param subject  the signed-in user's id, when there is one (then the per-user limit applies too)
     */
    @Serdeable
    public record DenyRequest(@Nullable String userCode, @Nullable String subject) {
        @Override
        public String toString() {
            return "DenyRequest[subject=" + subject + "]";
        }
    }

    @Operation(summary = "Look up a user code: which client asks for what")
    @Post("/lookup")
    public DeviceView lookup(HttpRequest<?> request, @Body @Nullable LookupRequest body) {
        access.requireInternalService(request);
        List<FieldError> problems = new ArrayList<>();
        String code = userCode(body == null ? null : body.userCode(), problems);
        String subject = subject(body == null ? null : body.subject(), true, problems);
        requireValid(problems);
        DeviceRateLimiter.Allowed attempt = allow(subject);
        return switch (store.find(code)) {
            case DeviceStore.Pending pending -> {
                limiter.refund(attempt);
                OAuthClient client = clients.find(pending.clientId()).orElseThrow(DeviceVerificationController::gone);
                yield new DeviceView(client.clientId(), client.displayName(), pending.scopes(), pending.expiresAt());
            }
            case DeviceStore.Decided decided -> {
                limiter.refund(attempt);
                throw decided();
            }
            case DeviceStore.NotFound notFound -> throw gone();
        };
    }

    @Operation(summary = "Approve a user code for the signed-in user")
    @Post("/approve")
    public HttpResponse<Void> approve(HttpRequest<?> request, @Body @Nullable ApproveRequest body) {
        access.requireInternalService(request);
        List<FieldError> problems = new ArrayList<>();
        String code = userCode(body == null ? null : body.userCode(), problems);
        UserAssertion user = body == null ? null : body.user();
        if (user == null) {
            problems.add(new FieldError("user", "is required"));
        } else {
            problems.addAll(user.problems("user."));
        }
        requireValid(problems);
        DeviceRateLimiter.Allowed attempt = allow(user.userId());
        var approval = new DeviceApproval(user.userId(), user.organizationId(), user.claims(),
                user.isPlatformAdmin(), user.authTime() == null ? clock.instant() : user.authTime());
        return answered(store.approve(code, approval), attempt);
    }

    @Operation(summary = "Deny a user code")
    @Post("/deny")
    public HttpResponse<Void> deny(HttpRequest<?> request, @Body @Nullable DenyRequest body) {
        access.requireInternalService(request);
        List<FieldError> problems = new ArrayList<>();
        String code = userCode(body == null ? null : body.userCode(), problems);
        String subject = subject(body == null ? null : body.subject(), false, problems);
        requireValid(problems);
        return answered(store.deny(code), allow(subject));
    }

    /** 429 with {@code Retry-After}, rendered by the one problem+json processor. */
    @Error(exception = TooManyAttempts.class)
    public HttpResponse<?> tooManyAttempts(HttpRequest<?> request, TooManyAttempts exception) {
        var response = HttpResponse.status(exception.type().status())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(exception.retryAfterSeconds()));
        return errors.processResponse(ErrorContext.builder(request).cause(exception).build(), response);
    }

    /** Over a user-code attempt limit. */
    public static final class TooManyAttempts extends ProblemException {
        private final long retryAfterSeconds;

        TooManyAttempts(Duration retryAfter) {
            super(ProblemType.TOO_MANY_REQUESTS, "too many attempts with unknown user codes; try again later");
            this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private HttpResponse<Void> answered(DeviceStore.Decision decision, DeviceRateLimiter.Allowed attempt) {
        return switch (decision) {
            case DeviceStore.Done done -> {
                limiter.refund(attempt);
                yield HttpResponse.noContent();
            }
            case DeviceStore.Decided decided -> {
                limiter.refund(attempt);
                throw decided();
            }
            case DeviceStore.NotFound notFound -> throw gone();
        };
    }

    private DeviceRateLimiter.Allowed allow(@Nullable String subject) {
        return switch (limiter.attempt(subject)) {
            case DeviceRateLimiter.Allowed allowed -> allowed;
            case DeviceRateLimiter.Limited limited -> throw new TooManyAttempts(limited.retryAfter());
        };
    }

    private static String userCode(@Nullable String input, List<FieldError> problems) {
        if (input == null) {
            problems.add(new FieldError("userCode", "is required"));
            return null;
        }
        return UserCodes.normalize(input).orElseGet(() -> {
            problems.add(new FieldError("userCode", "must be 8 letters of " + UserCodes.ALPHABET
                    + " (case, dashes and spaces do not matter)"));
            return null;
        });
    }

    private static String subject(@Nullable String subject, boolean required, List<FieldError> problems) {
        if (subject == null ? required : !SUBJECT.matcher(subject).matches()) {
            problems.add(new FieldError("subject", "must be the signed-in user's id (1-64 of A-Z a-z 0-9 _ -)"));
        }
        return subject;
    }

    private static void requireValid(List<FieldError> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, problems.size() == 1
                    ? problems.getFirst().field() + ": " + problems.getFirst().message()
                    : problems.size() + " fields are not valid", problems);
        }
    }

    private static ProblemException gone() {
        return new ProblemException(ProblemType.NOT_FOUND, "no such user code (mistyped or expired)");
    }

    private static ProblemException decided() {
        return new ProblemException(ProblemType.CONFLICT, "this code has already been approved or denied");
    }
}
