package dev.gatehouse.identity.signin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Seed 004's discovery answer ({@code AuthData}): which method signs this email in, and for {@code sso} where to go.
 *
 * @param authMethod  {@code password}, {@code magicAuth} or {@code sso}
 * @param redirectUrl sso only: the provider's authorization URL
 * @param state       sso only
 * @param challenge   sso only: the PKCE challenge (desktop)
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Discovery(String authMethod, @Nullable String redirectUrl, @Nullable String state,
                        @Nullable String challenge) {
    public static final String PASSWORD = "password";
    public static final String MAGIC_AUTH = "magicAuth";
    public static final String SSO = "sso";

    public static Discovery of(String method) {
        return new Discovery(method, null, null, null);
    }
}
