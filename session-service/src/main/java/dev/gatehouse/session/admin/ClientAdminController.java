package dev.gatehouse.session.admin;

import dev.gatehouse.kit.http.Page;
import dev.gatehouse.kit.http.Paging;
import dev.gatehouse.kit.http.Problem.FieldError;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.session.client.ClientRegistry;
import dev.gatehouse.session.client.ClientSpec;
import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.session.SessionService;
import dev.gatehouse.session.token.ApiAccess;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The client admin API, for platform admins (and the bootstrap admin): create, list, read, update, rotate the
 * secret, delete. A secret appears in exactly two answers, create and rotate, and nowhere after.
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/api/v1/clients")
@Tag(name = "clients")
public class ClientAdminController {
    private static final Duration MAX_OVERLAP = Duration.ofDays(7);
    private final ClientRegistry clients;
    private final SessionService sessions;
    private final ApiAccess access;

    public ClientAdminController(ClientRegistry clients, SessionService sessions, ApiAccess access) {
        this.clients = clients;
        this.sessions = sessions;
        this.access = access;
    }

    @Operation(summary = "Register a client; the answer carries its secret, shown once")
    @Post
    public HttpResponse<ClientView.WithSecret> create(HttpRequest<?> request, @Body ClientSpec spec) {
        access.requirePlatformAdmin(request);
        validate(spec);
        return switch (clients.create(spec, "api")) {
            case ClientRegistry.Created created -> HttpResponse
                    .created(new ClientView.WithSecret(ClientView.of(created.client()), created.secret()))
                    .headers(h -> h.location(URI.create("/api/v1/clients/" + created.client().clientId())));
            case ClientRegistry.IdTaken taken -> throw new ProblemException(ProblemType.CONFLICT,
                    "client id " + taken.clientId() + " is taken");
        };
    }

    @Operation(summary = "List clients, by id")
    @Get
    public Page<ClientView> list(HttpRequest<?> request, @QueryValue @Nullable String after,
                                 @QueryValue @Nullable Integer limit) {
        access.requirePlatformAdmin(request);
        Paging paging = Paging.of(after, limit);
        return paging.page(clients.list(paging.afterOrEmpty(), paging.fetch()), OAuthClient::clientId,
                ClientView::of);
    }

    @Operation(summary = "Read a client")
    @Get("/{clientId}")
    public ClientView read(HttpRequest<?> request, @PathVariable String clientId) {
        access.requirePlatformAdmin(request);
        return ClientView.of(find(clientId));
    }

    @Operation(summary = "Replace a client's settings (its id, type and secret stay)")
    @Put("/{clientId}")
    public ClientView update(HttpRequest<?> request, @PathVariable String clientId, @Body ClientSpec spec) {
        access.requirePlatformAdmin(request);
        validate(spec);
        if (spec.clientId() != null && !spec.clientId().equals(clientId)) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "clientId cannot change",
                    List.of(new FieldError("clientId", "must be absent or equal the path")));
        }
        OAuthClient existing = find(clientId);
        if (existing.type() != spec.clientType()) {
            throw new ProblemException(ProblemType.CONFLICT, "a client's type cannot change; register a new client");
        }
        return ClientView.of(clients.update(clientId, spec).orElseThrow(() -> notFound(clientId)));
    }

    /**
     * A rotation request.
     *
     * @param overlapSeconds how long the old secret keeps working (0 to 604800; default 0)
     */
    @Serdeable
    public record Rotate(@Nullable Integer overlapSeconds) {
    }

    @Operation(summary = "Give a confidential client a new secret, shown once")
    @Post("/{clientId}/secret")
    public ClientView.WithSecret rotateSecret(HttpRequest<?> request, @PathVariable String clientId,
                                              @Body @Nullable Rotate rotate) {
        access.requirePlatformAdmin(request);
        int overlap = rotate == null || rotate.overlapSeconds() == null ? 0 : rotate.overlapSeconds();
        if (overlap < 0 || overlap > MAX_OVERLAP.toSeconds()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "overlapSeconds must be 0 to 604800",
                    List.of(new FieldError("overlapSeconds", "must be between 0 and 604800")));
        }
        if (find(clientId).isPublic()) {
            throw new ProblemException(ProblemType.CONFLICT, "a public client has no secret");
        }
        String secret = clients.rotateSecret(clientId, Duration.ofSeconds(overlap))
                .orElseThrow(() -> notFound(clientId));
        return new ClientView.WithSecret(ClientView.of(find(clientId)), secret);
    }

    @Operation(summary = "Delete a client and revoke its sessions")
    @Delete("/{clientId}")
    public HttpResponse<Void> delete(HttpRequest<?> request, @PathVariable String clientId) {
        access.requirePlatformAdmin(request);
        find(clientId);
        sessions.revokeAllOfClient(clientId, "client_deleted");
        if (!clients.delete(clientId)) {
            throw notFound(clientId);
        }
        return HttpResponse.noContent();
    }

    private OAuthClient find(String clientId) {
        if (!ClientSpec.CLIENT_ID.matcher(clientId).matches()) {
            throw notFound(clientId);
        }
        return clients.findUncached(clientId).orElseThrow(() -> notFound(clientId));
    }

    private static ProblemException notFound(String clientId) {
        return new ProblemException(ProblemType.NOT_FOUND, "no client " + clientId);
    }

    private static void validate(ClientSpec spec) {
        List<FieldError> problems = spec.problems();
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "the client is not valid", problems);
        }
    }
}
