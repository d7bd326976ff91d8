package dev.gatehouse.contract.token;

import com.nimbusds.jose.jwk.JWKSet;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** A JWKS source whose answer the test changes, counting fetches. */
class FakeJwks implements JwksSource {
    final AtomicInteger fetches = new AtomicInteger();
    private volatile JWKSet keys;
    private volatile IOException failure;

    FakeJwks(JWKSet keys) {
        this.keys = keys;
    }

    void publish(JWKSet keys) {
        this.keys = keys;
        this.failure = null;
    }

    void failWith(IOException failure) {
        this.failure = failure;
    }

    @Override
    public JWKSet fetch() throws IOException {
        fetches.incrementAndGet();
        if (failure != null) {
            throw failure;
        }
        return keys;
    }
}
