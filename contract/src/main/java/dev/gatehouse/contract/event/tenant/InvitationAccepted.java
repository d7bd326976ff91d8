package dev.gatehouse.contract.event.tenant;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Objects;

/**
 * An invitation was accepted (once: its token is single use); the user became a member (a
 * {@link MembershipAdded} follows when they were not one already). On {@code gatehouse.tenant.invitation.v1}.
 *
 * @param invitationId   the invitation
 * @param organizationId its organization
 * @param userId         who accepted
 * @param role           the role it granted
 */
@Serdeable
public record InvitationAccepted(String invitationId, OrgId organizationId, UserId userId, String role) {
    public InvitationAccepted {
        Objects.requireNonNull(invitationId, "invitationId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(userId, "userId");
    }
}
