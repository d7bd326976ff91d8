package dev.gatehouse.identity.vault;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The token vault, under {@code gatehouse.identity.vault}.
 *
 * @param keys          key id → base64 of exactly 32 random bytes (AES-256). Old keys stay listed after a rotation
 *                      so the values sealed with them still open (env {@code GATEHOUSE_IDENTITY_VAULT_KEYS_<ID>}).
 *                      Unset in dev and test: a published dev-only key; required everywhere else.
 * @param activeKeyId   the key new values are sealed with; may be omitted when exactly one key is listed
 * @param refreshSkew   an access token this close to its expiry is refreshed before it is handed out
 * @param issuer        session-service's issuer: the API checks the caller's access token against it
 * @param jwksUri       session-service's JWKS ({@code <session-url>/.well-known/jwks.json} when unset)
 * @param audience      the audience of Gatehouse's own APIs
 */
@ConfigurationProperties("gatehouse.identity.vault")
public record VaultConfig(
        @Nullable Map<String, String> keys,
        @Nullable String activeKeyId,
        @Bindable(defaultValue = "60s") @NotNull Duration refreshSkew,
        @Nullable String issuer,
        @Nullable URI jwksUri,
        @Bindable(defaultValue = "gatehouse") @NotNull String audience) {

    /** The scope a caller of the upstream-token API needs. */
    public static final String SCOPE = "gatehouse:upstream-tokens";

    @Override
    public String toString() {
        return "VaultConfig[keyIds=" + (keys == null ? "[]" : keys.keySet()) + ", activeKeyId=" + activeKeyId
                + ", issuer=" + issuer + ", jwksUri=" + jwksUri + "]";
    }
}
