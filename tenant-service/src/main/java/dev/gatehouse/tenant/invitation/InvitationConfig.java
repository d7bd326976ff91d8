package dev.gatehouse.tenant.invitation;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Invitation settings, under {@code gatehouse.tenant.invitations}.
 *
 * @param signingKey base64 of at least 32 random bytes: the HS256 key invitation tokens are signed with (only
 *                   tenant-service signs and verifies them, so a symmetric key suffices). Required; the dev and test
 *                   environments have a published one, refused elsewhere.
 * @param ttl        how long an invitation (and each resent token) can be accepted, 1 hour to 30 days
 */
@ConfigurationProperties("gatehouse.tenant.invitations")
public record InvitationConfig(@Nullable String signingKey,
                               @Bindable(defaultValue = DEFAULT_TTL) @NotNull Duration ttl) {
    public static final String DEFAULT_TTL = "7d";

    public InvitationConfig {
        if (signingKey == null || signingKey.isBlank()) {
            throw new InvalidConfigurationException(List.of("gatehouse.tenant.invitations.signing-key: must be set"
                    + " (base64 of 32 random bytes, e.g. `openssl rand -base64 32`)"));
        }
        try {
            if (Base64.getDecoder().decode(signingKey.strip()).length < 32) {
                throw new InvalidConfigurationException(List.of(
                        "gatehouse.tenant.invitations.signing-key: must decode to at least 32 bytes"));
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(List.of("gatehouse.tenant.invitations.signing-key: must be base64"));
        }
        if (ttl != null && (ttl.compareTo(Duration.ofHours(1)) < 0 || ttl.compareTo(Duration.ofDays(30)) > 0)) {
            throw new InvalidConfigurationException(List.of("gatehouse.tenant.invitations.ttl: must be 1h to 30d"));
        }
    }

    public byte[] signingKeyBytes() {
        return Base64.getDecoder().decode(signingKey.strip());
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "InvitationConfig[ttl=" + ttl + "]";
    }
}
