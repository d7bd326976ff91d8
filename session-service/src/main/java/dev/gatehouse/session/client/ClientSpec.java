package dev.gatehouse.session.client;

import dev.gatehouse.kit.http.Problem.FieldError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A client's settings as the admin API and the bootstrap file declare them. Lifetimes are in seconds; absent ones
 * take the server defaults. {@link #problems()} lists everything wrong at once.
 *
 * @param clientId                    the id, or null to have one generated (admin API only)
 * @param type                        {@code confidential} or {@code public}
 * @param displayName                 shown on consent and device pages
 * @param redirectUris                exact redirect URIs
 * @param postLogoutRedirectUris      exact post-logout redirect URIs
 * @param grantTypes                  grants by wire name ({@code device_code} is short for the URN)
 * @param scopes                      scopes it may request
 * @param audiences                   audiences its tokens may carry (the first is the default)
 * @param resourceAudience            the audience it serves as a resource server (introspection)
 * @param accessTokenTtlSeconds       access- and ID-token lifetime
 * @param refreshIdleTtlSeconds       refresh idle lifetime
 * @param refreshAbsoluteTtlSeconds   session absolute lifetime
 * @param refreshWithoutOfflineAccess refresh tokens without {@code offline_access}
 * @param platformAdmin               client_credentials tokens carry {@code platform_admin}
 */
@Serdeable
public record ClientSpec(
        @Nullable String clientId,
        @Nullable String type,
        @Nullable String displayName,
        @Nullable List<String> redirectUris,
        @Nullable List<String> postLogoutRedirectUris,
        @Nullable List<String> grantTypes,
        @Nullable List<String> scopes,
        @Nullable List<String> audiences,
        @Nullable String resourceAudience,
        @Nullable Integer accessTokenTtlSeconds,
        @Nullable Integer refreshIdleTtlSeconds,
        @Nullable Integer refreshAbsoluteTtlSeconds,
        @Nullable Boolean refreshWithoutOfflineAccess,
        @Nullable Boolean platformAdmin) {

    public static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{3,128}");
    /** RFC 6749 §3.3 scope-token. */
    public static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}");
    static final Duration MAX_ACCESS_TTL = Duration.ofHours(24);
    private static final int MAX_LIST = 50;

    public ClientSpec {
        redirectUris = redirectUris == null ? List.of() : redirectUris;
        postLogoutRedirectUris = postLogoutRedirectUris == null ? List.of() : postLogoutRedirectUris;
        grantTypes = grantTypes == null ? List.of() : grantTypes;
        scopes = scopes == null ? List.of() : scopes;
        audiences = audiences == null ? List.of() : audiences;
    }

    public ClientType clientType() {
        return "public".equals(type) ? ClientType.PUBLIC : ClientType.CONFIDENTIAL;
    }

    public Set<GrantType> grants() {
        Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
        grantTypes.forEach(g -> GrantType.fromWire(g).ifPresent(grants::add));
        return grants;
    }

    /** Everything wrong with this spec, by field; empty when it can be stored. */
    public List<FieldError> problems() {
        List<FieldError> problems = new ArrayList<>();
        if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
            problems.add(new FieldError("clientId", "must be 3-128 of A-Z a-z 0-9 . _ : -"));
        }
        if (!"confidential".equals(type) && !"public".equals(type)) {
            problems.add(new FieldError("type", "must be confidential or public"));
        }
        if (displayName == null || displayName.isBlank() || displayName.length() > 100) {
            problems.add(new FieldError("displayName", "must be 1-100 characters"));
        }
        listSize(problems, "redirectUris", redirectUris);
        listSize(problems, "postLogoutRedirectUris", postLogoutRedirectUris);
        listSize(problems, "scopes", scopes);
        listSize(problems, "audiences", audiences);
        for (int i = 0; i < redirectUris.size(); i++) {
            int index = i;
            RedirectUris.registrationProblem(redirectUris.get(i))
                    .ifPresent(p -> problems.add(new FieldError("redirectUris[" + index + "]", p)));
        }
        for (int i = 0; i < postLogoutRedirectUris.size(); i++) {
            int index = i;
            RedirectUris.registrationProblem(postLogoutRedirectUris.get(i))
                    .ifPresent(p -> problems.add(new FieldError("postLogoutRedirectUris[" + index + "]", p)));
        }
        if (grantTypes.isEmpty()) {
            problems.add(new FieldError("grantTypes", "must name at least one grant"));
        }
        for (String g : grantTypes) {
            if (GrantType.fromWire(g).isEmpty()) {
                problems.add(new FieldError("grantTypes", "unknown grant " + g + " (authorization_code, refresh_token,"
                        + " client_credentials, device_code)"));
            }
        }
        Set<GrantType> grants = grants();
        if (grants.contains(GrantType.AUTHORIZATION_CODE) && redirectUris.isEmpty()) {
            problems.add(new FieldError("redirectUris", "authorization_code needs at least one redirect URI"));
        }
        if ("public".equals(type) && grants.contains(GrantType.CLIENT_CREDENTIALS)) {
            problems.add(new FieldError("grantTypes", "a public client cannot use client_credentials"));
        }
        if ("public".equals(type) && Boolean.TRUE.equals(platformAdmin)) {
            problems.add(new FieldError("platformAdmin", "only a confidential client can be a platform admin"));
        }
        if (grants.contains(GrantType.CLIENT_CREDENTIALS) && audiences.isEmpty()) {
            problems.add(new FieldError("audiences", "client_credentials needs at least one audience"));
        }
        for (String scope : scopes) {
            if (scope == null || !SCOPE_TOKEN.matcher(scope).matches()) {
                problems.add(new FieldError("scopes", "each scope must be 1-128 printable characters without"
                        + " spaces, quotes or backslashes"));
                break;
            }
        }
        for (String audience : audiences) {
            if (audience == null || audience.isBlank() || audience.length() > 200) {
                problems.add(new FieldError("audiences", "each audience must be 1-200 characters"));
                break;
            }
        }
        if (resourceAudience != null && (resourceAudience.isBlank() || resourceAudience.length() > 200)) {
            problems.add(new FieldError("resourceAudience", "must be 1-200 characters"));
        }
        range(problems, "accessTokenTtlSeconds", accessTokenTtlSeconds, 60, (int) MAX_ACCESS_TTL.toSeconds());
        range(problems, "refreshIdleTtlSeconds", refreshIdleTtlSeconds, 300, 90 * 86_400);
        range(problems, "refreshAbsoluteTtlSeconds", refreshAbsoluteTtlSeconds, 300, 365 * 86_400);
        if (refreshIdleTtlSeconds != null && refreshAbsoluteTtlSeconds != null
                && refreshIdleTtlSeconds > refreshAbsoluteTtlSeconds) {
            problems.add(new FieldError("refreshIdleTtlSeconds", "must not exceed refreshAbsoluteTtlSeconds"));
        }
        return problems;
    }

    private static void listSize(List<FieldError> problems, String field, List<String> values) {
        if (values.size() > MAX_LIST) {
            problems.add(new FieldError(field, "at most " + MAX_LIST + " entries"));
        }
    }

    private static void range(List<FieldError> problems, String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            problems.add(new FieldError(field, "must be between " + min + " and " + max));
        }
    }
}
