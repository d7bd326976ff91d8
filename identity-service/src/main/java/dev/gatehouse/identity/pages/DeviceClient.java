package dev.gatehouse.identity.pages;

import dev.gatehouse.identity.platform.PlatformConfig;
import dev.gatehouse.identity.platform.PlatformHttp;
import dev.gatehouse.identity.platform.SessionClient;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * session-service's device verification API ({@code /internal/v1/device/*}, docs/oauth.md "Device flow"), for the
 * device page. Each call's outcome is a value: the page shows every one of them to the user.
 */
@Singleton
public class DeviceClient {
    private final PlatformHttp http;
    private final PlatformConfig config;

    public DeviceClient(PlatformHttp http, PlatformConfig config) {
        this.http = http;
        this.config = config;
    }

    /** The pending grant a user code names. */
    @Serdeable
    public record DeviceView(String clientId, String clientDisplayName, List<String> scopes, Instant expiresAt) {
    }

    /** What a call came to. */
    public sealed interface Outcome permits Found, Done, Unknown, AlreadyDecided, Malformed, TooManyAttempts {
    }

    public record Found(DeviceView view) implements Outcome {
    }

    public record Done() implements Outcome {
    }

    /** Mistyped or expired. */
    public record Unknown() implements Outcome {
    }

    public record AlreadyDecided() implements Outcome {
    }

    /** Not 8 letters of the alphabet. */
    public record Malformed() implements Outcome {
    }

    public record TooManyAttempts(long retryAfterSeconds) implements Outcome {
    }

    @Serdeable
    record LookupBody(String userCode, String subject) {
        @Override
        public String toString() {
            return "LookupBody[" + subject + "]";
        }
    }

    @Serdeable
    record ApproveBody(String userCode, SessionClient.UserAssertion user) {
        @Override
        public String toString() {
            return "ApproveBody[" + user.userId() + "]";
        }
    }

    @Serdeable
    record DenyBody(String userCode, @Nullable String subject) {
        @Override
        public String toString() {
            return "DenyBody[" + subject + "]";
        }
    }

    public Outcome lookup(String userCode, String subject) {
        var answer = http.send("POST", url("/internal/v1/device/lookup"), new LookupBody(userCode, subject));
        return answer.status() == 200 ? new Found(http.read(answer, DeviceView.class)) : outcome(answer, "lookup");
    }

    public Outcome approve(String userCode, SessionClient.UserAssertion user) {
        return outcome(http.send("POST", url("/internal/v1/device/approve"), new ApproveBody(userCode, user)),
                "approve");
    }

    public Outcome deny(String userCode, String subject) {
        return outcome(http.send("POST", url("/internal/v1/device/deny"), new DenyBody(userCode, subject)), "deny");
    }

    private Outcome outcome(PlatformHttp.Answer answer, String what) {
        return switch (answer.status()) {
            case 204 -> new Done();
            case 400 -> new Malformed();
            case 404 -> new Unknown();
            case 409 -> new AlreadyDecided();
            case 429 -> new TooManyAttempts(60);
            default -> throw PlatformHttp.unexpected("session-service (device " + what + ")", answer);
        };
    }

    private URI url(String path) {
        return config.requireSessionUrl().resolve(path);
    }
}
