package dev.gatehouse.tenant.membership;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.tenant.access.TenantAccess;
import dev.gatehouse.kit.http.Paging;
import dev.gatehouse.tenant.internal.http.PathIds;
import dev.gatehouse.tenant.rbac.EffectivePermissions;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import java.net.URI;

@Controller("/api/v1/organizations/{orgId}/members")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Members")
public class MembershipController {
    private final MembershipService memberships;
    private final EffectivePermissions effective;
    private final TenantAccess access;

    public MembershipController(MembershipService memberships, EffectivePermissions effective, TenantAccess access) {
        this.memberships = memberships;
        this.effective = effective;
        this.access = access;
    }

    @Get
    @Operation(summary = "List the members (by user id, paged)")
    public Page<MemberView> list(HttpRequest<?> request, String orgId, @Nullable @QueryValue String after,
                                 @Nullable @QueryValue Integer limit) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.READ);
        return memberships.list(organization, Paging.of(after, limit));
    }

    @Get("/{userId}")
    @Operation(summary = "Read a member, with effective roles and permissions")
    public MemberView find(HttpRequest<?> request, String orgId, String userId) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.READ);
        UserId user = PathIds.user(userId);
        Membership m = memberships.find(organization, user)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No such member"));
        var e = effective.lookup(organization, user).orElseThrow(
                () -> new ProblemException(ProblemType.NOT_FOUND, "No such member"));
        return new MemberView(m.organizationId(), m.userId(), m.roles(), m.createdAt(), m.updatedAt(), e.roles(),
                e.permissions());
    }

    @Put(value = "/{userId}", consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a member or set their roles (admin)",
            description = "201 when added (MembershipAdded), 200 when changed (MembershipRolesChanged) or unchanged.")
    public HttpResponse<MemberView> put(HttpRequest<?> request, String orgId, String userId,
                                        @Body @Valid PutMemberRequest body) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        UserId user = PathIds.user(userId);
        return switch (memberships.put(organization, user, body.roles())) {
            case MembershipService.Added(Membership m) -> HttpResponse.created(MemberView.of(m),
                    URI.create("/api/v1/organizations/" + orgId + "/members/" + userId));
            case MembershipService.RolesChanged(Membership m) -> HttpResponse.ok(MemberView.of(m));
            case MembershipService.Unchanged(Membership m) -> HttpResponse.ok(MemberView.of(m));
        };
    }

    @Delete("/{userId}")
    @Operation(summary = "Remove a member (admin)",
            description = "Emits MembershipRemoved; session-service revokes the user's sessions in the organization.")
    public HttpResponse<Void> remove(HttpRequest<?> request, String orgId, String userId) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        if (!memberships.remove(organization, PathIds.user(userId))) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such member");
        }
        return HttpResponse.noContent();
    }
}
