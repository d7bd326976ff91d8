package dev.gatehouse.contract.event;

import dev.gatehouse.contract.event.identity.UserCreated;
import dev.gatehouse.contract.event.identity.UserSignInFailed;
import dev.gatehouse.contract.event.identity.UserSignedIn;
import dev.gatehouse.contract.event.identity.UserUpdated;
import dev.gatehouse.contract.event.session.SessionCreated;
import dev.gatehouse.contract.event.session.SessionRevoked;
import dev.gatehouse.contract.event.tenant.ApiKeyCreated;
import dev.gatehouse.contract.event.tenant.ApiKeyRevoked;
import dev.gatehouse.contract.event.tenant.ApiKeyUpdated;
import dev.gatehouse.contract.event.tenant.InvitationAccepted;
import dev.gatehouse.contract.event.tenant.InvitationCreated;
import dev.gatehouse.contract.event.tenant.InvitationReissued;
import dev.gatehouse.contract.event.tenant.InvitationRevoked;
import dev.gatehouse.contract.event.tenant.MembershipAdded;
import dev.gatehouse.contract.event.tenant.MembershipRemoved;
import dev.gatehouse.contract.event.tenant.MembershipRolesChanged;
import dev.gatehouse.contract.event.tenant.OrganizationArchived;
import dev.gatehouse.contract.event.tenant.OrganizationCreated;
import dev.gatehouse.contract.event.tenant.OrganizationUpdated;

import java.util.List;
import java.util.Optional;

/** The catalogue of event types: one constant per {@code <Aggregate><PastVerb>}. */
public final class Events {
    public static final EventType<OrganizationCreated> ORGANIZATION_CREATED = new EventType<>(
            "OrganizationCreated", 1, Topics.TENANT_ORGANIZATION, OrganizationCreated.class,
            e -> e.organizationId().value());

    public static final EventType<SessionCreated> SESSION_CREATED = new EventType<>(
            "SessionCreated", 1, Topics.SESSION_SESSION, SessionCreated.class, SessionCreated::sessionId);

    public static final EventType<SessionRevoked> SESSION_REVOKED = new EventType<>(
            "SessionRevoked", 1, Topics.SESSION_SESSION, SessionRevoked.class, SessionRevoked::sessionId);

    public static final EventType<OrganizationUpdated> ORGANIZATION_UPDATED = new EventType<>(
            "OrganizationUpdated", 1, Topics.TENANT_ORGANIZATION, OrganizationUpdated.class,
            e -> e.organizationId().value());

    public static final EventType<OrganizationArchived> ORGANIZATION_ARCHIVED = new EventType<>(
            "OrganizationArchived", 1, Topics.TENANT_ORGANIZATION, OrganizationArchived.class,
            e -> e.organizationId().value());

    public static final EventType<MembershipAdded> MEMBERSHIP_ADDED = new EventType<>(
            "MembershipAdded", 1, Topics.TENANT_MEMBERSHIP, MembershipAdded.class,
            e -> MembershipAdded.key(e.organizationId(), e.userId()));

    public static final EventType<MembershipRolesChanged> MEMBERSHIP_ROLES_CHANGED = new EventType<>(
            "MembershipRolesChanged", 1, Topics.TENANT_MEMBERSHIP, MembershipRolesChanged.class,
            e -> MembershipAdded.key(e.organizationId(), e.userId()));

    public static final EventType<MembershipRemoved> MEMBERSHIP_REMOVED = new EventType<>(
            "MembershipRemoved", 1, Topics.TENANT_MEMBERSHIP, MembershipRemoved.class,
            e -> MembershipAdded.key(e.organizationId(), e.userId()));

    public static final EventType<ApiKeyCreated> API_KEY_CREATED = new EventType<>(
            "ApiKeyCreated", 1, Topics.TENANT_API_KEY, ApiKeyCreated.class, ApiKeyCreated::keyId);

    public static final EventType<ApiKeyUpdated> API_KEY_UPDATED = new EventType<>(
            "ApiKeyUpdated", 1, Topics.TENANT_API_KEY, ApiKeyUpdated.class, ApiKeyUpdated::keyId);

    public static final EventType<ApiKeyRevoked> API_KEY_REVOKED = new EventType<>(
            "ApiKeyRevoked", 1, Topics.TENANT_API_KEY, ApiKeyRevoked.class, ApiKeyRevoked::keyId);

    public static final EventType<InvitationCreated> INVITATION_CREATED = new EventType<>(
            "InvitationCreated", 1, Topics.TENANT_INVITATION, InvitationCreated.class, InvitationCreated::invitationId);

    public static final EventType<InvitationReissued> INVITATION_REISSUED = new EventType<>(
            "InvitationReissued", 1, Topics.TENANT_INVITATION, InvitationReissued.class, InvitationReissued::invitationId);

    public static final EventType<InvitationRevoked> INVITATION_REVOKED = new EventType<>(
            "InvitationRevoked", 1, Topics.TENANT_INVITATION, InvitationRevoked.class, InvitationRevoked::invitationId);

    public static final EventType<InvitationAccepted> INVITATION_ACCEPTED = new EventType<>(
            "InvitationAccepted", 1, Topics.TENANT_INVITATION, InvitationAccepted.class,
            InvitationAccepted::invitationId);

    public static final EventType<UserCreated> USER_CREATED = new EventType<>(
            "UserCreated", 1, Topics.IDENTITY_USER, UserCreated.class, e -> e.userId().value());

    public static final EventType<UserUpdated> USER_UPDATED = new EventType<>(
            "UserUpdated", 1, Topics.IDENTITY_USER, UserUpdated.class, e -> e.userId().value());

    public static final EventType<UserSignedIn> USER_SIGNED_IN = new EventType<>(
            "UserSignedIn", 1, Topics.IDENTITY_USER, UserSignedIn.class, e -> e.userId().value());

    public static final EventType<UserSignInFailed> USER_SIGN_IN_FAILED = new EventType<>(
            "UserSignInFailed", 1, Topics.IDENTITY_USER, UserSignInFailed.class, UserSignInFailed::key);

    public static final List<EventType<?>> ALL = List.of(ORGANIZATION_CREATED, SESSION_CREATED, SESSION_REVOKED,
            ORGANIZATION_UPDATED, ORGANIZATION_ARCHIVED, MEMBERSHIP_ADDED, MEMBERSHIP_ROLES_CHANGED,
            MEMBERSHIP_REMOVED, API_KEY_CREATED, API_KEY_UPDATED, API_KEY_REVOKED, INVITATION_CREATED,
            INVITATION_REISSUED, INVITATION_REVOKED, INVITATION_ACCEPTED, USER_CREATED, USER_UPDATED, USER_SIGNED_IN,
            USER_SIGN_IN_FAILED);

    private Events() {
    }

    /** Looks up an event type by its wire name. */
    public static Optional<EventType<?>> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
