package dev.gatehouse.contract.event.tenant;

import dev.gatehouse.contract.id.OrgId;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Objects;

/**
 * An invitation was sent again with a fresh token (the earlier token no longer works) and a new expiry. Same fields
 * as {@link InvitationCreated}; identity-service emails it the same way.
 */
@Serdeable
public record InvitationReissued(String invitationId, OrgId organizationId, String organizationName, String email,
                               String role, String type, String token, Instant expiresAt, String invitedBy) {
    public InvitationReissued {
        Objects.requireNonNull(invitationId, "invitationId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
