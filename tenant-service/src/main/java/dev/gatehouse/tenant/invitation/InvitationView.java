package dev.gatehouse.tenant.invitation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * An invitation as the API shows it.
 *
 * @param type   {@code admin} or {@code member}
 * @param status {@code pending}, {@code accepted}, {@code revoked} or {@code expired}
 */
@Serdeable
public record InvitationView(String id, String organizationId, String email, String role, String type,
                             String status, String invitedBy, Instant createdAt, Instant expiresAt,
                             @Nullable Instant acceptedAt, @Nullable String acceptedBy,
                             @Nullable Instant revokedAt) {
    static InvitationView of(Invitation i, Instant now) {
        return new InvitationView(i.id(), i.organizationId(), i.email(), i.role(), i.type(), i.status(now),
                i.invitedBy(), i.createdAt(), i.expiresAt(), i.acceptedAt(), i.acceptedBy(), i.revokedAt());
    }

    /**
     * The answer to creating or resending: the token is also in the event identity-service emails.
     *
     * @param invitation the invitation
     * @param token      the signed invitation token (the only valid one until the next resend)
     */
    @Serdeable
    public record WithToken(InvitationView invitation, String token) {
    }

    /**
     * What a token invites to ({@code POST /internal/v1/invitations/inspect}, and the answer to accepting).
     *
     * @param type seed 004's invite type, from the token itself: the client never declares it
     */
    @Serdeable
    public record Details(String invitationId, String organizationId, String organizationName, String email,
                          String role, String type, Instant expiresAt) {
    }
}
