package dev.gatehouse.tenant.rbac;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.http.Problem;
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
import java.util.List;

@Controller("/api/v1/organizations/{orgId}/roles")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Roles")
public class RoleController {
    private final RoleService roles;
    private final TenantAccess access;

    public RoleController(RoleService roles, TenantAccess access) {
        this.roles = roles;
        this.access = access;
    }

    @Get
    @Operation(summary = "List the roles: built-in ones first, then custom ones by key (paged)")
    public Page<RoleView> list(HttpRequest<?> request, String orgId, @Nullable @QueryValue String after,
                               @Nullable @QueryValue Integer limit) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.READ);
        Paging paging = Paging.of(after, limit);
        List<RoleView> all = roles.list(organization);
        int start = 0;
        if (paging.after() != null) {
            start = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).key().equals(paging.after())) {
                    start = i + 1;
                }
            }
            if (start < 0) {
                throw new ProblemException(ProblemType.VALIDATION_FAILED, "after is not a cursor of this list",
                        List.of(new Problem.FieldError("after", "must be a page.next value of this list")));
            }
        }
        return paging.page(all.subList(start, Math.min(all.size(), start + paging.fetch())), RoleView::key, r -> r);
    }

    @Get("/{key}")
    @Operation(summary = "Read a role")
    public RoleView find(HttpRequest<?> request, String orgId, String key) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.READ);
        return roles.find(organization, key).orElseThrow(RoleController::notFound);
    }

    @Post(consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a custom role (admin)")
    public HttpResponse<RoleView> create(HttpRequest<?> request, String orgId, @Body @Valid RoleRequest body) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        if (body.key() == null) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "key is required",
                    List.of(new Problem.FieldError("key", "must not be null")));
        }
        return switch (roles.create(organization, body.key(), body.displayName(), body.description(),
                body.permissions())) {
            case RoleService.Saved(RoleView role, boolean created) -> HttpResponse.created(role,
                    URI.create("/api/v1/organizations/" + orgId + "/roles/" + role.key()));
            case RoleService.KeyTaken(String key) -> throw new ProblemException(ProblemType.CONFLICT,
                    "The role '" + key + "' exists");
            case RoleService.TooMany ignored -> throw new ProblemException(ProblemType.CONFLICT,
                    "An organization has at most " + RoleService.MAX_CUSTOM_ROLES + " custom roles");
            case RoleService.Unchanged u -> HttpResponse.ok(u.role());
            case RoleService.NotFound ignored -> throw notFound();
            case RoleService.BuiltIn ignored -> throw builtIn();
        };
    }

    @Put(value = "/{key}", consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a custom role (admin)",
            description = "Tokens minted from now on carry the new permissions; the API keys of groups granting it "
                    + "are republished.")
    public RoleView update(HttpRequest<?> request, String orgId, String key, @Body @Valid RoleRequest body) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        return switch (roles.update(organization, key, body.displayName(), body.description(), body.permissions())) {
            case RoleService.Saved(RoleView role, boolean created) -> role;
            case RoleService.Unchanged(RoleView role) -> role;
            case RoleService.NotFound ignored -> throw notFound();
            case RoleService.BuiltIn ignored -> throw builtIn();
            case RoleService.KeyTaken ignored -> throw builtIn();
            case RoleService.TooMany ignored -> throw builtIn();
        };
    }

    @Delete("/{key}")
    @Operation(summary = "Delete a custom role no one holds (admin)")
    public HttpResponse<Void> delete(HttpRequest<?> request, String orgId, String key) {
        OrgId organization = PathIds.organization(orgId);
        access.require(request, organization, TenantAccess.Need.ADMIN);
        return switch (roles.delete(organization, key)) {
            case RoleService.Deleted ignored -> HttpResponse.noContent();
            case RoleService.InUse ignored -> throw new ProblemException(ProblemType.CONFLICT,
                    "The role is granted to members, groups or pending invitations; take it away first");
            case RoleService.NoSuchRole ignored -> throw notFound();
            case RoleService.BuiltInRoleUntouchable ignored -> throw builtIn();
        };
    }

    private static ProblemException notFound() {
        return new ProblemException(ProblemType.NOT_FOUND, "No such role");
    }

    private static ProblemException builtIn() {
        return new ProblemException(ProblemType.CONFLICT, "Built-in roles cannot be changed");
    }
}
