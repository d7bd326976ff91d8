package dev.gatehouse.tenant.invitation;

import dev.gatehouse.tenant.rbac.BuiltInRole;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** An invitation as stored (never its token: only the nonce the current token carries). */
public record Invitation(String id, String organizationId, String email, String role, String nonce,
                         String invitedBy, Instant createdAt, Instant expiresAt, @Nullable Instant acceptedAt,
                         @Nullable String acceptedBy, @Nullable Instant revokedAt) {

    /** Seed 004's invite type, derived from the role: {@code admin} or {@code member}. */
    public String type() {
        return typeOf(role);
    }

    public static String typeOf(String role) {
        return BuiltInRole.ADMIN.key().equals(role) ? "admin" : "member";
    }

    public String status(Instant now) {
        if (acceptedAt != null) {
            return "accepted";
        }
        if (revokedAt != null) {
            return "revoked";
        }
        return expiresAt.isAfter(now) ? "pending" : "expired";
    }
}
