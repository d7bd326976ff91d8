package dev.gatehouse.session.keys;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * The JSON Web Key Set (RFC 7517 §5) verifiers fetch: the public keys of every signing key that is not past its
 * expiry, including the next key before it signs. Cacheable for {@code jwks-max-age}, with an ETag.
 */
@Controller
public class JwksController {
    private final SigningKeys keys;
    private final String cacheControl;

    public JwksController(SigningKeys keys, SigningKeysConfig config) {
        this.keys = keys;
        this.cacheControl = "public, max-age=" + config.jwksMaxAge().toSeconds();
    }

    @Operation(summary = "The public signing keys (JWKS)",
            description = "RFC 7517 key set: kid, kty, alg, use=sig and the public members only. A key is listed "
                    + "publish-ahead before it signs and until every token it signed has expired.")
    @ApiResponse(responseCode = "200", description = "the key set")
    @ApiResponse(responseCode = "304", description = "unchanged since the ETag in If-None-Match")
    @Get(uri = "/.well-known/jwks.json", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> jwks(@Header(HttpHeaders.IF_NONE_MATCH) @Nullable String ifNoneMatch) {
        SigningKeys.Jwks jwks = keys.jwks();
        if (matches(ifNoneMatch, jwks.etag())) {
            return HttpResponse.<String>notModified()
                    .header(HttpHeaders.ETAG, jwks.etag())
                    .header(HttpHeaders.CACHE_CONTROL, cacheControl);
        }
        return HttpResponse.ok(jwks.json())
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, jwks.etag())
                .header(HttpHeaders.CACHE_CONTROL, cacheControl);
    }

    /** RFC 9110 §13.1.2: a list of entity tags or {@code *}, compared weakly. */
    static boolean matches(@Nullable String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
