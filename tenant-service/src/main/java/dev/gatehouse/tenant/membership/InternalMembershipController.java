package dev.gatehouse.tenant.membership;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.tenant.access.TenantAccess;
import dev.gatehouse.kit.http.Paging;
import dev.gatehouse.tenant.internal.http.PathIds;
import dev.gatehouse.tenant.rbac.Effective;
import dev.gatehouse.tenant.rbac.EffectivePermissions;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** For session-service (token minting) and identity-service (organization choice): service tokens only. */
@Controller("/internal/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Internal")
public class InternalMembershipController {
    private final EffectivePermissions effective;
    private final MembershipService memberships;
    private final TenantAccess access;

    public InternalMembershipController(EffectivePermissions effective, MembershipService memberships,
                                        TenantAccess access) {
        this.effective = effective;
        this.memberships = memberships;
        this.access = access;
    }

    @Get("/organizations/{orgId}/members/{userId}/permissions")
    @Operation(summary = "Effective roles and permissions of a member, for the token's permissions claim",
            description = "404 problem when the user is not a member or the organization is archived.")
    public PermissionsView permissions(HttpRequest<?> request, String orgId, String userId) {
        access.requireInternalService(request);
        OrgId organization = PathIds.organization(orgId);
        UserId user = PathIds.user(userId);
        Effective e = effective.lookup(organization, user)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "Not a member of the organization"));
        return new PermissionsView(organization.value(), user.value(), e.roles(), e.permissions());
    }

    @Get("/users/{userId}/organizations")
    @Operation(summary = "A user's organizations (by id, paged)")
    public Page<UserOrganizationView> organizations(HttpRequest<?> request, String userId,
                                                    @Nullable @QueryValue String after,
                                                    @Nullable @QueryValue Integer limit) {
        access.requireInternalService(request);
        return memberships.organizationsOf(PathIds.user(userId), Paging.of(after, limit));
    }
}
