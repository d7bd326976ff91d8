package dev.gatehouse.tenant.group;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.tenant.access.TenantAccess;
import dev.gatehouse.kit.http.Paging;
import dev.gatehouse.tenant.internal.http.PathIds;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import java.net.URI;

@Controller("/api/v1/organizations/{orgId}/groups")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Groups")
public class GroupController {
    private final GroupService groups;
    private final TenantAccess access;

    public GroupController(GroupService groups, TenantAccess access) {
        this.groups = groups;
        this.access = access;
    }

    @Post(consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a group (admin)")
    public HttpResponse<GroupView> create(HttpRequest<?> request, String orgId, @Body @Valid GroupRequest body) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        return switch (groups.create(organization, GroupService.spec(body))) {
            case GroupService.Saved(Group group, boolean created) -> HttpResponse.created(GroupView.of(group),
                    URI.create("/api/v1/organizations/" + orgId + "/groups/" + group.id()));
            case GroupService.Unchanged(Group group) -> HttpResponse.ok(GroupView.of(group));
            case GroupService.NameTaken(String name) -> throw nameTaken(name);
            case GroupService.NotFound ignored -> throw notFound();
        };
    }

    @Get
    @Operation(summary = "List the groups (by id, paged)")
    public Page<GroupView> list(HttpRequest<?> request, String orgId, @Nullable @QueryValue String after,
                                @Nullable @QueryValue Integer limit) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.READ);
        return groups.list(organization, Paging.of(after, limit));
    }

    @Get("/{groupId}")
    @Operation(summary = "Read a group")
    public GroupView find(HttpRequest<?> request, String orgId, String groupId) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.READ);
        return groups.find(organization, groupId).map(GroupView::of).orElseThrow(GroupController::notFound);
    }

    @Put(value = "/{groupId}", consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a group's settings (admin)",
            description = "A change of roles or rate limit republishes its API keys (ApiKeyUpdated).")
    public GroupView update(HttpRequest<?> request, String orgId, String groupId, @Body @Valid GroupRequest body) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        return switch (groups.update(organization, groupId, GroupService.spec(body))) {
            case GroupService.Saved(Group group, boolean created) -> GroupView.of(group);
            case GroupService.Unchanged(Group group) -> GroupView.of(group);
            case GroupService.NameTaken(String name) -> throw nameTaken(name);
            case GroupService.NotFound ignored -> throw notFound();
        };
    }

    @Delete("/{groupId}")
    @Operation(summary = "Delete a group (admin)", description = "Its API keys are revoked (ApiKeyRevoked).")
    public HttpResponse<Void> delete(HttpRequest<?> request, String orgId, String groupId) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        if (!groups.delete(organization, groupId)) {
            throw notFound();
        }
        return HttpResponse.noContent();
    }

    @Get("/{groupId}/members")
    @Operation(summary = "List a group's members (by user id, paged)")
    public Page<GroupView.Member> members(HttpRequest<?> request, String orgId, String groupId,
                                          @Nullable @QueryValue String after, @Nullable @QueryValue Integer limit) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.READ);
        Paging paging = Paging.of(after, limit);
        if (groups.find(organization, groupId).isEmpty()) {
            throw notFound();
        }
        return groups.members(organization, groupId, paging);
    }

    @Put("/{groupId}/members/{userId}")
    @Operation(summary = "Add a member of the organization to the group (admin)")
    public HttpResponse<Void> addMember(HttpRequest<?> request, String orgId, String groupId, String userId) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        return switch (groups.addMember(organization, groupId, PathIds.user(userId))) {
            case GroupService.MemberAdded ignored -> HttpResponse.created(null,
                    URI.create("/api/v1/organizations/" + orgId + "/groups/" + groupId + "/members/" + userId));
            case GroupService.AlreadyMember ignored -> HttpResponse.noContent();
            case GroupService.NoSuchGroup ignored -> throw notFound();
            case GroupService.NotAnOrganizationMember ignored -> throw new ProblemException(ProblemType.CONFLICT,
                    "The user is not a member of the organization");
        };
    }

    @Delete("/{groupId}/members/{userId}")
    @Operation(summary = "Remove a member from the group (admin)")
    public HttpResponse<Void> removeMember(HttpRequest<?> request, String orgId, String groupId, String userId) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        if (!groups.removeMember(organization, groupId, PathIds.user(userId))) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such group member");
        }
        return HttpResponse.noContent();
    }

    private static ProblemException nameTaken(String name) {
        return new ProblemException(ProblemType.CONFLICT, "The organization already has a group named '" + name + "'");
    }

    private static ProblemException notFound() {
        return new ProblemException(ProblemType.NOT_FOUND, "No such group");
    }
}
