package dev.gatehouse.session.client;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A registered OAuth client, as stored. Secrets only as {@link dev.gatehouse.session.crypto.SecretHasher} hashes.
 *
 * @param clientId                   public identifier
 * @param type                       confidential or public
 * @param displayName                shown on consent and device pages
 * @param secretHash                 hash of the current secret (confidential clients)
 * @param previousSecretHash         hash of the secret before the last rotation, accepted until
 *                                   {@code previousSecretExpiresAt}
 * @param previousSecretExpiresAt    end of the rotation overlap
 * @param redirectUris               exact redirect URIs (loopback ones match on any port, RFC 8252)
 * @param postLogoutRedirectUris     exact post-logout redirect URIs
 * @param grantTypes                 grants it may use
 * @param scopes                     scopes it may request
 * @param audiences                  audiences its tokens may carry; the first is the default
 * @param resourceAudience           the audience it serves as a resource server: it may introspect tokens whose
 *                                   {@code aud} contains this
 * @param accessTokenTtl             access- and ID-token lifetime
 * @param refreshIdleTtl             a refresh token unused this long expires
 * @param refreshAbsoluteTtl         no refresh past this age of the session
 * @param refreshWithoutOfflineAccess issue refresh tokens even when {@code offline_access} was not requested
 * @param platformAdmin              its client_credentials tokens carry {@code platform_admin}
 * @param source                     {@code api} or {@code bootstrap}
 */
public record OAuthClient(
        String clientId,
        ClientType type,
        String displayName,
        @Nullable byte[] secretHash,
        @Nullable byte[] previousSecretHash,
        @Nullable Instant previousSecretExpiresAt,
        List<String> redirectUris,
        List<String> postLogoutRedirectUris,
        Set<GrantType> grantTypes,
        Set<String> scopes,
        List<String> audiences,
        @Nullable String resourceAudience,
        Duration accessTokenTtl,
        Duration refreshIdleTtl,
        Duration refreshAbsoluteTtl,
        boolean refreshWithoutOfflineAccess,
        boolean platformAdmin,
        String source,
        Instant createdAt,
        Instant updatedAt) {

    public OAuthClient {
        redirectUris = List.copyOf(redirectUris);
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        grantTypes = Set.copyOf(grantTypes);
        scopes = Set.copyOf(scopes);
        audiences = List.copyOf(audiences);
    }

    public boolean isPublic() {
        return type == ClientType.PUBLIC;
    }

    public boolean allows(GrantType grant) {
        return grantTypes.contains(grant);
    }

    /** Never prints secret hashes. */
    @Override
    public String toString() {
        return "OAuthClient[" + clientId + ", " + type.wireName() + "]";
    }
}
