package dev.gatehouse.identity.signin;

import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.identity.UserSignInFailed;
import dev.gatehouse.contract.event.identity.UserSignedIn;
import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.kit.outbox.Outbox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Locale;

/** {@code UserSignedIn} and {@code UserSignInFailed} through the outbox, each in a transaction of its own. */
@Singleton
public class SignInEvents {
    private final Outbox outbox;
    private final Clock clock;

    public SignInEvents(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional
    public void signedIn(UserId user, String method, @Nullable String clientId, @Nullable String organizationId,
                         @Nullable String sessionId, @Nullable String ipAddress) {
        outbox.record(Events.USER_SIGNED_IN, organizationId == null ? null : new OrgId(organizationId),
                new UserSignedIn(user, method, clientId, organizationId, sessionId, ipAddress, clock.instant()));
    }

    /** @param reason {@code invalid_credentials}, {@code locked}, {@code throttled}, {@code no_password}, ... */
    @Transactional
    public void failed(@Nullable UserId user, String identifier, String method, String reason,
                       @Nullable String ipAddress) {
        String id = identifier == null ? "" : identifier.trim().toLowerCase(Locale.ROOT);
        if (id.length() > 320) {
            id = id.substring(0, 320);
        }
        outbox.record(Events.USER_SIGN_IN_FAILED, null, new UserSignInFailed(user == null ? null : user.value(), id,
                method, reason, ipAddress, clock.instant()));
    }
}
