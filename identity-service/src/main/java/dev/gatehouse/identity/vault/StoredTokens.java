package dev.gatehouse.identity.vault;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A user's upstream tokens in the clear, between the vault and its callers. Never logged. */
public record StoredTokens(String accessToken, @Nullable String refreshToken, @Nullable Instant expiresAt,
                           List<String> scopes) {
    public StoredTokens {
        Objects.requireNonNull(accessToken, "accessToken");
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    @Override
    public String toString() {
        return "StoredTokens[refreshToken=" + (refreshToken != null) + ", expiresAt=" + expiresAt + ", scopes="
                + scopes + "]";
    }
}
