package dev.gatehouse.tenant.access;

import dev.gatehouse.contract.token.Principal;
import dev.gatehouse.tenant.rbac.Effective;

import java.util.Optional;

/**
 * Who is calling the admin API and what they may do in the organization at hand.
 *
 * @param principal the verified token
 * @param membership the caller's effective access in the organization (empty for platform admins who are not
 *                   members)
 */
public record Caller(Principal principal, Optional<Effective> membership) {
    /** The user or client id, for audit fields such as {@code invitedBy}. */
    public String id() {
        return principal.subject();
    }

    public boolean platformAdmin() {
        return principal.platformAdmin();
    }
}
