package dev.gatehouse.contract.event;

import java.util.List;

/** Every topic of the platform. Producers and consumers refer to these constants, never to literal names. */
public final class Topics {
    /** Organization lifecycle, produced by tenant-service, keyed by organization id. */
    public static final Topic TENANT_ORGANIZATION = new Topic("gatehouse.tenant.organization.v1", 6, false);

    /** Session lifecycle, produced by session-service, keyed by session id. */
    public static final Topic SESSION_SESSION = new Topic("gatehouse.session.session.v1", 6, false);

    /** Memberships (user ↔ organization, roles), produced by tenant-service, keyed by {@code <orgId>:<userId>}. */
    public static final Topic TENANT_MEMBERSHIP = new Topic("gatehouse.tenant.membership.v1", 6, false);

    /**
     * API keys, produced by tenant-service, keyed by key id; log-compacted: the latest record of each key is its
     * current state (gateway-edge rebuilds its in-memory key table from it).
     */
    public static final Topic TENANT_API_KEY = new Topic("gatehouse.tenant.api-key.v1", 6, true);

    /** Invitations, produced by tenant-service, keyed by invitation id; identity-service sends the emails. */
    public static final Topic TENANT_INVITATION = new Topic("gatehouse.tenant.invitation.v1", 3, false);

    /** Users (created, updated, signed in, sign-in failed), produced by identity-service, keyed by user id. */
    public static final Topic IDENTITY_USER = new Topic("gatehouse.identity.user.v1", 6, false);

    /** All topics, for provisioning. */
    public static final List<Topic> ALL = List.of(TENANT_ORGANIZATION, SESSION_SESSION, TENANT_MEMBERSHIP,
            TENANT_API_KEY, TENANT_INVITATION, IDENTITY_USER);

    private Topics() {
    }
}
