package dev.gatehouse.session.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.session.client.GrantType;
import dev.gatehouse.session.client.OAuthClient;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/** A client as the admin API shows it: every setting, never a secret or its hash. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ClientView(String clientId, String type, String displayName, List<String> redirectUris,
                         List<String> postLogoutRedirectUris, List<String> grantTypes, List<String> scopes,
                         List<String> audiences, @Nullable String resourceAudience, long accessTokenTtlSeconds,
                         long refreshIdleTtlSeconds, long refreshAbsoluteTtlSeconds,
                         boolean refreshWithoutOfflineAccess, boolean platformAdmin, String source,
                         @Nullable Instant previousSecretExpiresAt, Instant createdAt, Instant updatedAt) {

    public static ClientView of(OAuthClient c) {
        return new ClientView(c.clientId(), c.type().wireName(), c.displayName(), c.redirectUris(),
                c.postLogoutRedirectUris(), c.grantTypes().stream().map(GrantType::wireName).sorted().toList(),
                c.scopes().stream().sorted().toList(), c.audiences(), c.resourceAudience(),
                c.accessTokenTtl().toSeconds(), c.refreshIdleTtl().toSeconds(), c.refreshAbsoluteTtl().toSeconds(),
                c.refreshWithoutOfflineAccess(), c.platformAdmin(), c.source(), c.previousSecretExpiresAt(),
                c.createdAt(), c.updatedAt());
    }

    /** The answer to create and rotate: the client, and its secret shown this once. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record WithSecret(ClientView client, @Nullable String clientSecret) {
    }
}
