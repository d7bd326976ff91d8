package dev.gatehouse.gateway.management;

import dev.gatehouse.gateway.upstream.InternalTokens;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;

import io.micronaut.context.annotation.Executable;
import jakarta.inject.Singleton;

import java.util.Map;

/** {@code GET /internal-jwks.json} on the management port: the public key of the internal JWT. */
@Singleton
public class InternalJwksController {
    private final InternalTokens tokens;

    public InternalJwksController(InternalTokens tokens) {
        this.tokens = tokens;
    }

    @Executable
    public HttpResponse<Map<String, Object>> jwks() {
        return HttpResponse.ok(tokens.jwks().toJSONObject(true)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
