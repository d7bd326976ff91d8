package dev.gatehouse.identity.signin;

import dev.gatehouse.identity.platform.SessionClient;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Where a sign-in happens: the client and delivery of the session to open, what to record, and an organization the
 * caller already chose (an invitation's, an SSO connection's), if any.
 *
 * @param clientId       the client the session is for
 * @param delivery       cookie (browser) or tokens (bearer)
 * @param scopes         scopes for the session, or null for the client's defaults
 * @param method         for events: {@code password}, {@code magic}, {@code oauth:google}, {@code dev}, ...
 * @param organizationId an organization already decided, or null to decide by the user's memberships
 * @param userAgent      the browser's user agent, or null
 * @param ipAddress      the client's address, or null
 */
@Serdeable
public record SignInContext(String clientId, SessionClient.Delivery delivery, @Nullable List<String> scopes,
                            String method, @Nullable String organizationId, @Nullable String userAgent,
                            @Nullable String ipAddress) {

    public SignInContext withOrganization(@Nullable String organization) {
        return new SignInContext(clientId, delivery, scopes, method, organization, userAgent, ipAddress);
    }
}
