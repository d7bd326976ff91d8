package dev.gatehouse.contract.token;

import com.nimbusds.jose.jwk.JWKSet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a {@link TokenVerifier} gets the issuer's public keys: a JWK Set (RFC 7517 §5). The verifier caches what it
 * returns and decides when to call it again; an implementation only fetches.
 */
@FunctionalInterface
public interface JwksSource {
    /**
     * Fetches the current key set.
     *
     * @throws IOException when it cannot be fetched or is not a JWK Set; the verifier keeps its last good set
     */
    JWKSet fetch() throws IOException;

    /**
     * Fetches {@code uri} with a GET. Only a {@code 200} answer whose body is a JSON JWK Set of at most
     * 256 KiB counts (a {@code Content-Type}, when sent, must be a JSON type);
     * anything else, including a redirect the client does not follow, is an {@link IOException}.
     *
     * @param uri     the issuer's {@code jwks_uri}; use {@code https} outside a trusted network
     * @param timeout for the whole exchange, body included
     * @param client  the client to send with (its redirect, proxy and TLS settings apply)
     */
    static JwksSource http(URI uri, Duration timeout, HttpClient client) {
        return new HttpJwksSource(uri, timeout, client);
    }

    /** A fixed key set, for tests and for issuers whose keys are configured rather than fetched. */
    static JwksSource of(JWKSet keys) {
        Objects.requireNonNull(keys, "keys");
        return () -> keys;
    }
}
