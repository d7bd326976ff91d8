package dev.gatehouse.contract.event.tenant;

import dev.gatehouse.contract.id.OrgId;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Objects;

/**
 * An invitation was revoked before it was accepted; its token no longer works. On
 * {@code gatehouse.tenant.invitation.v1}, keyed by invitation id.
 *
 * @param invitationId   the invitation
 * @param organizationId its organization
 */
@Serdeable
public record InvitationRevoked(String invitationId, OrgId organizationId) {
    public InvitationRevoked {
        Objects.requireNonNull(invitationId, "invitationId");
        Objects.requireNonNull(organizationId, "organizationId");
    }
}
