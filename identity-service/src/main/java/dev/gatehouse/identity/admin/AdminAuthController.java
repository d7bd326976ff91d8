package dev.gatehouse.identity.admin;

import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.contract.token.BearerTokens;
import dev.gatehouse.identity.internal.http.ClientAddress;
import dev.gatehouse.identity.password.PasswordSignIn;
import dev.gatehouse.identity.platform.SessionClient;
import dev.gatehouse.identity.platform.TenantClient;
import dev.gatehouse.identity.signin.SignInCompletion;
import dev.gatehouse.identity.signin.SignInEvents;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 001, the AI Security Gateway's admin authentication: username/password → a JWT (session-service's access
 * token for the admin client, bound to a server-side session), {@code me}, {@code refresh} (also of an expired token,
 * within {@code gatehouse.identity.admin-api.refresh-window}, while its session lives), {@code logout} (token and
 * session dead afterwards), and session-token validation. Every answer is {@code {success, data|error}}.
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/api/v1")
@Tag(name = "Admin auth (seed 001)")
public class AdminAuthController {
    private static final List<String> ROLE_ORDER = List.of("viewer", "operator", "admin");
    private final PasswordSignIn passwords;
    private final SessionClient sessions;
    private final TenantClient tenants;
    private final UserDirectory users;
    private final SignInCompletion completion;
    private final SignInEvents events;
    private final AdminSessions adminSessions;
    private final AdminTokens tokens;
    private final AdminApiConfig config;
    private final JsonMapper json;

    public AdminAuthController(PasswordSignIn passwords, SessionClient sessions, TenantClient tenants,
                               UserDirectory users, SignInCompletion completion, SignInEvents events,
                               AdminSessions adminSessions, AdminTokens tokens, AdminApiConfig config,
                               JsonMapper json) {
        this.passwords = passwords;
        this.sessions = sessions;
        this.tenants = tenants;
        this.users = users;
        this.completion = completion;
        this.events = events;
        this.adminSessions = adminSessions;
        this.tokens = tokens;
        this.config = config;
        this.json = json;
    }

    @Operation(summary = "Log in with username (or email) and password",
            description = "{success:true, data:{token, user{id,username,email,role}, expires_at}}; 401 on bad "
                    + "credentials, 403 without a role, 429 when throttled.")
    @Post(value = "/auth/login", consumes = MediaType.ALL)
    public HttpResponse<Map<String, Object>> login(HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, Object> fields = fields(body);
        String username = text(fields, "username");
        String password = text(fields, "password");
        if (username == null || password == null || username.length() > 320 || password.length() > 1024) {
            throw new GatewayAuthException(400, "username and password are required");
        }
        String address = ClientAddress.of(request);
        User user = switch (passwords.byLogin(username, password, address)) {
            case PasswordSignIn.Verified(User verified) -> verified;
            case PasswordSignIn.Rejected ignored -> throw new GatewayAuthException(401, "Invalid credentials");
            case PasswordSignIn.Throttled(Duration retryAfter, boolean locked) -> throw new GatewayAuthException(429,
                    locked ? "Too many failed attempts; account temporarily locked" : "Too many failed attempts; "
                            + "try again later", retryAfter);
        };
        Role role = role(user).orElseThrow(() -> {
            events.failed(user.userId(), username, "admin-password", "no_role", address);
            return new GatewayAuthException(403, "This account has no role on the gateway");
        });
        SessionClient.SessionTokens session = sessions.open(new SessionClient.OpenSession(
                completion.assertion(user, role.organizationId()), config.clientId(), null, null,
                SessionClient.Delivery.COOKIE, ClientAddress.userAgent(request), address));
        adminSessions.keep(session.sessionId(), session.cookie());
        events.signedIn(user.userId(), "admin-password", config.clientId(), role.organizationId(),
                session.sessionId(), address);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("token", session.accessToken());
        data.put("user", userBody(user, role.name(), false));
        data.put("expires_at", session.expiresAt().toString());
        return ok(data);
    }

    @Operation(summary = "The signed-in admin's profile")
    @Get("/auth/me")
    public HttpResponse<Map<String, Object>> me(HttpRequest<?> request) {
        User user = current(request).user();
        Role role = role(user).orElseThrow(() -> new GatewayAuthException(403, "This account has no role on the "
                + "gateway"));
        return ok(userBody(user, role.name(), true));
    }

    @Operation(summary = "A fresh token for a valid or recently expired one whose session lives")
    @Post(value = "/auth/refresh", consumes = MediaType.ALL)
    public HttpResponse<Map<String, Object>> refresh(HttpRequest<?> request) {
        String token = bearer(request);
        AdminTokens.Checked checked = tokens.check(token, config.refreshWindow())
                .orElseThrow(() -> new GatewayAuthException(401, "The token cannot be refreshed; log in again"));
        String handle = adminSessions.handle(checked.sessionId())
                .orElseThrow(() -> new GatewayAuthException(401, "The session has ended; log in again"));
        SessionClient.SessionTokens fresh = sessions.refresh(handle).orElseThrow(() -> {
            adminSessions.forget(checked.sessionId());
            return new GatewayAuthException(401, "The session has ended; log in again");
        });
        if (fresh.cookie() != null) {
            adminSessions.keep(fresh.sessionId(), fresh.cookie());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("token", fresh.accessToken());
        data.put("expires_at", fresh.expiresAt().toString());
        return ok(data);
    }

    @Operation(summary = "Log out: the token and its session are dead afterwards")
    @Post(value = "/auth/logout", consumes = MediaType.ALL)
    public HttpResponse<Map<String, Object>> logout(HttpRequest<?> request) {
        String token = bearer(request);
        AdminTokens.Checked checked = tokens.check(token, config.refreshWindow())
                .orElseThrow(() -> new GatewayAuthException(401, "Invalid or expired token"));
        sessions.revoke(checked.sessionId());
        adminSessions.forget(checked.sessionId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("message", "Logged out successfully");
        return HttpResponse.ok(body).header("Cache-Control", "no-store");
    }

    @Operation(summary = "Validate a session token",
            description = "{success:true, data:{valid, user_identity, user_email, user_name, expires_at}}; 401 for "
                    + "an invalid, expired or revoked token.")
    @Post(value = "/oauth/validate", consumes = MediaType.ALL)
    public HttpResponse<Map<String, Object>> validate(@Nullable @Body String body) {
        String token = text(fields(body), "session_token");
        if (token == null || token.length() > 16 * 1024) {
            throw new GatewayAuthException(400, "session_token is required");
        }
        Current current = verify(token);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("valid", true);
        data.put("user_identity", current.user().email() != null ? current.user().email() : current.user().id());
        data.put("user_email", current.user().email());
        data.put("user_name", current.user().name());
        data.put("expires_at", current.expiresAt() == null ? null : current.expiresAt().toString());
        return ok(data);
    }

    private record Current(User user, @Nullable Instant expiresAt) {
    }

    private record Role(String name, @Nullable String organizationId) {
    }

    private Current current(HttpRequest<?> request) {
        return verify(bearer(request));
    }

    /** The token verifies at session-service (signature, expiry, live session) and is the admin client's. */
    private Current verify(String token) {
        Map<String, Object> claims = sessions.userInfo(token)
                .orElseThrow(() -> new GatewayAuthException(401, "Invalid or expired token"));
        AdminTokens.Checked checked = tokens.check(token, Duration.ZERO)
                .orElseThrow(() -> new GatewayAuthException(401, "Invalid or expired token"));
        Object sub = claims.get("sub");
        if (!(sub instanceof String subject) || !subject.equals(checked.subject())) {
            throw new GatewayAuthException(401, "Invalid or expired token");
        }
        User user = users.find(new UserId(subject))
                .orElseThrow(() -> new GatewayAuthException(401, "Invalid or expired token"));
        return new Current(user, checked.expiredAt());
    }

    /** admin for platform admins; else the highest role of the user's memberships. */
    private Optional<Role> role(User user) {
        if (user.platformAdmin()) {
            return Optional.of(new Role("admin", null));
        }
        Role best = null;
        for (TenantClient.UserOrganization organization : tenants.organizationsOf(user.userId())) {
            for (String role : organization.roles()) {
                int rank = ROLE_ORDER.indexOf(role);
                if (rank >= 0 && (best == null || rank > ROLE_ORDER.indexOf(best.name()))) {
                    best = new Role(role, organization.id());
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static Map<String, Object> userBody(User user, String role, boolean withCreatedAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", user.id());
        body.put("username", user.username() != null ? user.username() : user.email());
        body.put("email", user.email());
        body.put("role", role);
        if (withCreatedAt) {
            body.put("created_at", user.createdAt().toString());
        }
        return body;
    }

    private static HttpResponse<Map<String, Object>> ok(Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("data", data);
        return HttpResponse.ok(body).header("Cache-Control", "no-store");
    }

    private static String bearer(HttpRequest<?> request) {
        List<String> headers = request.getHeaders().getAll(HttpHeaders.AUTHORIZATION);
        String token = headers.size() == 1 ? BearerTokens.extract(headers.get(0)).orElse(null) : null;
        if (token == null) {
            throw new GatewayAuthException(401, "Missing or malformed Authorization header");
        }
        return token;
    }

    private Map<String, Object> fields(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> map = json.readValue(body, Argument.mapOf(String.class, Object.class));
            return map == null ? Map.of() : map;
        } catch (IOException | RuntimeException e) {
            throw new GatewayAuthException(400, "The request body must be JSON");
        }
    }

    private static @Nullable String text(Map<String, Object> fields, String name) {
        return fields.get(name) instanceof String s && !s.isBlank() ? s : null;
    }
}
