package dev.gatehouse.contract.event;

import java.util.List;

/** Every topic of the platform. Producers and consumers refer to these constants, never to literal names. */
public final class Topics {
    /** Organization lifecycle, produced by tenant-service, keyed by organization id. */
    public static final Topic TENANT_ORGANIZATION = new Topic("gatehouse.tenant.organization.v1", 6, false);

    /** Session lifecycle, produced by session-service, keyed by session id. */
    public static final Topic SESSION_SESSION = new Topic("gatehouse.session.session.v1", 6, false);

    /** All topics, for provisioning. */
    public static final List<Topic> ALL = List.of(TENANT_ORGANIZATION, SESSION_SESSION);

    private Topics() {
    }
}
