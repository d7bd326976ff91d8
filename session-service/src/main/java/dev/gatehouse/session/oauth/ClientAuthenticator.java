package dev.gatehouse.session.oauth;

import dev.gatehouse.session.client.ClientRegistry;
import dev.gatehouse.session.client.OAuthClient;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Identifies and authenticates the client of a token, revocation or introspection request: client_secret_basic
 * (RFC 6749 §2.3.1, form-encoded id and secret inside Basic), client_secret_post, or a public client naming itself
 * with {@code client_id}. Using two methods at once is an {@code invalid_request}; every authentication failure,
 * unknown client or wrong secret alike, is the same {@code invalid_client}.
 */
@Singleton
public class ClientAuthenticator {
    private final ClientRegistry clients;

    public ClientAuthenticator(ClientRegistry clients) {
        this.clients = clients;
    }

    public OAuthClient authenticate(HttpRequest<?> request, FormParameters params) {
        Optional<String[]> basic = basicCredentials(request);
        if (basic.isPresent()) {
            if (params.has("client_secret")) {
                throw OAuthException.invalidRequest("use one client authentication method, not two");
            }
            String clientId = basic.get()[0];
            if (params.get("client_id").filter(id -> !id.equals(clientId)).isPresent()) {
                throw OAuthException.invalidRequest("client_id does not match the authenticated client");
            }
            return confidential(clientId, basic.get()[1]);
        }
        Optional<String> secret = params.get("client_secret");
        Optional<String> clientId = params.get("client_id");
        if (secret.isPresent()) {
            if (clientId.isEmpty()) {
                throw OAuthException.invalidClient();
            }
            return confidential(clientId.get(), secret.get());
        }
        if (clientId.isEmpty()) {
            throw OAuthException.invalidClient();
        }
        OAuthClient client = clients.find(clientId.get()).orElseThrow(OAuthException::invalidClient);
        if (!client.isPublic()) {
            // a confidential client must prove itself
            throw OAuthException.invalidClient();
        }
        return client;
    }

    /**
     * Whether the client this request names is in the registry's cache, so that authenticating it needs no
     * database read (the token endpoint then keeps client_credentials on the event loop).
     */
    public boolean clientCached(HttpRequest<?> request, FormParameters params) {
        try {
            return basicCredentials(request).map(c -> c[0]).or(() -> params.get("client_id"))
                    .map(clients::isCached).orElse(false);
        } catch (OAuthException e) {
            return false;
        }
    }

    private OAuthClient confidential(String clientId, String secret) {
        OAuthClient client = clients.find(clientId).orElse(null);
        boolean ok = clients.secretMatches(client, secret);
        if (!ok || client.isPublic()) {
            throw OAuthException.invalidClient();
        }
        return client;
    }

    private static Optional<String[]> basicCredentials(HttpRequest<?> request) {
        var values = request.getHeaders().getAll(HttpHeaders.AUTHORIZATION);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw OAuthException.invalidRequest("Authorization header repeated");
        }
        String header = values.get(0);
        if (header.length() < 6 || !header.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            throw OAuthException.invalidClient();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw OAuthException.invalidClient();
        }
        try {
            return Optional.of(new String[] {
                    URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)});
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient();
        }
    }
}
