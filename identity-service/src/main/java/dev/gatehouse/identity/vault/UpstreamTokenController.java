package dev.gatehouse.identity.vault;

import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/users/{userId}/upstream-tokens/{provider}}: a fresh upstream access token for the app's
 * backend (refreshed first when the stored one has expired). POST because it may spend the refresh token.
 */
@Controller("/api/v1/users/{userId}/upstream-tokens/{provider}")
public class UpstreamTokenController {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private final TokenVault vault;
    private final VaultAccess access;
    private final Clock clock;

    public UpstreamTokenController(TokenVault vault, VaultAccess access, Clock clock) {
        this.vault = vault;
        this.access = access;
        this.clock = clock;
    }

    /** The answer; {@code expiresAt}/{@code expiresIn} null when the provider did not say. */
    @Serdeable
    public record UpstreamAccessToken(String provider, String accessToken, String tokenType,
                                      @Nullable Instant expiresAt, @Nullable Long expiresIn, List<String> scopes) {
        @Override
        public String toString() {
            return "UpstreamAccessToken[provider=" + provider + ", expiresAt=" + expiresAt + "]";
        }
    }

    @Post(produces = MediaType.APPLICATION_JSON)
    public HttpResponse<UpstreamAccessToken> issue(HttpRequest<?> request, @PathVariable String userId,
                                                   @PathVariable String provider) {
        access.requireReader(request, userId);
        if (!SEGMENT.matcher(userId).matches() || !SEGMENT.matcher(provider).matches()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no upstream tokens for this user and provider");
        }
        return switch (vault.fresh(userId, provider, false)) {
            case FreshToken.Fresh fresh -> HttpResponse.ok(new UpstreamAccessToken(provider, fresh.accessToken(),
                            "Bearer", fresh.expiresAt(), fresh.expiresAt() == null ? null
                            : Math.max(0, fresh.expiresAt().getEpochSecond() - clock.instant().getEpochSecond()),
                            fresh.scopes()))
                    .header("Cache-Control", "no-store").header("Pragma", "no-cache");
            case FreshToken.NotFound ignored ->
                    throw new ProblemException(ProblemType.NOT_FOUND, "no upstream tokens for this user and provider");
            case FreshToken.NoRefreshToken ignored -> throw new ProblemException(ProblemType.CONFLICT,
                    "the upstream access token expired and there is no refresh token: the user must sign in again");
            case FreshToken.RefreshFailed failed -> throw failed.unavailable()
                    ? new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE,
                    "the provider could not refresh: " + failed.detail())
                    : new ProblemException(ProblemType.CONFLICT,
                    "the provider refused the refresh (" + failed.detail() + "): the user must sign in again");
        };
    }
}
