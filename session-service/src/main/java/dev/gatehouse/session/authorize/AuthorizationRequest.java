package dev.gatehouse.session.authorize;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * A validated authorization request, waiting in Redis (under its login challenge) for identity-service to sign the
 * user in.
 *
 * @param clientId      the client
 * @param redirectUri   the redirect URI the code goes to
 * @param redirectUriSent whether the request named it (then the token request must repeat it, RFC 6749 §4.1.3)
 * @param scopes        requested scopes, all allowed for the client
 * @param state         the client's state, returned unchanged
 * @param nonce         the OIDC nonce, copied into the ID token
 * @param codeChallenge the S256 PKCE challenge, or null (confidential clients only)
 * @param requestedAt   when the request arrived
 */
@Serdeable
public record AuthorizationRequest(String clientId, String redirectUri, boolean redirectUriSent, List<String> scopes, @Nullable String state,
                                   @Nullable String nonce, @Nullable String codeChallenge, Instant requestedAt) {
}
