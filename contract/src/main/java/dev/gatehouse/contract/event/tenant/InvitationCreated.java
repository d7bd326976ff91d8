package dev.gatehouse.contract.event.tenant;

import dev.gatehouse.contract.id.OrgId;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Objects;

/**
 * Someone was invited to an organization: identity-service emails {@code token} to {@code email} (as a link to its
 * sign-up / accept page). Produced on {@code gatehouse.tenant.invitation.v1}, keyed by invitation id.
 *
 * <p>The token is a bearer credential for joining, bound to {@code email}: consumers must not log it.
 *
 * @param invitationId     {@code inv_...}, also the token's {@code jti}
 * @param organizationId   the organization
 * @param organizationName its display name, for the email
 * @param email            the invitee
 * @param role             the role the invitee gets
 * @param type             {@code admin} or {@code member} (seed 004's invite type, derived from the role)
 * @param token            the signed invitation token
 * @param expiresAt        when it stops being accepted
 * @param invitedBy        the inviting user or client
 */
@Serdeable
public record InvitationCreated(String invitationId, OrgId organizationId, String organizationName, String email,
                                String role, String type, String token, Instant expiresAt, String invitedBy) {
    public InvitationCreated {
        Objects.requireNonNull(invitationId, "invitationId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
