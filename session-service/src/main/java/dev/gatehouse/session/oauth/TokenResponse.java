package dev.gatehouse.session.oauth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** RFC 6749 §5.1 successful token response. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("refresh_token") @Nullable String refreshToken,
        @JsonProperty("scope") String scope,
        @JsonProperty("id_token") @Nullable String idToken) {

    public TokenResponse withRefreshToken(String token) {
        return new TokenResponse(accessToken, tokenType, expiresIn, token, scope, idToken);
    }
}
