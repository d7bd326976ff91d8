package dev.gatehouse.session.oauth;

import dev.gatehouse.session.client.GrantType;
import dev.gatehouse.session.client.OAuthClient;
import io.micronaut.http.HttpRequest;

/** One grant of the token endpoint. The client is already authenticated and allowed to use the grant. */
public interface TokenGrant {
    GrantType type();

    TokenResponse exchange(OAuthClient client, FormParameters params, HttpRequest<?> request);
}
