package dev.gatehouse.session.keys;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Signing keys and the JWKS, under {@code gatehouse.session.keys}. See docs/keys.md for the lifecycle.
 *
 * @param algorithm        algorithm of newly created keys: {@code RS256} (RSA 2048) or {@code ES256} (P-256).
 *                         A change takes effect at the next scheduled rotation (or {@code rotateNow()})
 * @param kek              the key-encryption key: base64 of exactly 32 random bytes (AES-256), env
 *                         {@code GATEHOUSE_SESSION_KEYS_KEK}. Exactly one of {@code kek} and {@code kekFile}
 * @param kekFile          path of a file (a mounted secret) holding the base64 KEK
 * @param rotationPeriod   how long a key signs before its successor takes over
 * @param publishAhead     how long a new key is in the JWKS before it signs anything
 * @param maxTokenLifetime the longest lifetime of any token this service signs (access or ID token, every
 *                         client): a retired key stays published this long (plus {@link #EXPIRY_LEEWAY})
 * @param reloadInterval   how often each replica re-reads the keys from PostgreSQL
 * @param jwksMaxAge       {@code Cache-Control: max-age} of the JWKS
 * @param maintenanceInterval how often a replica checks whether the next key is due and expired keys can go
 */
@Context
@ConfigurationProperties("gatehouse.session.keys")
public record SigningKeysConfig(
        @Bindable(defaultValue = "RS256") @NotNull SigningAlgorithm algorithm,
        @Nullable String kek,
        @Nullable String kekFile,
        @Bindable(defaultValue = "30d") @NotNull Duration rotationPeriod,
        @Bindable(defaultValue = "1h") @NotNull Duration publishAhead,
        @Bindable(defaultValue = "24h") @NotNull Duration maxTokenLifetime,
        @Bindable(defaultValue = "30s") @NotNull Duration reloadInterval,
        @Bindable(defaultValue = "300s") @NotNull Duration jwksMaxAge,
        @Bindable(defaultValue = "1m") @NotNull Duration maintenanceInterval) {

    /**
     * Added to {@code maxTokenLifetime} before a retired key leaves the JWKS: clock skew; equal to the largest
     * {@code exp} leeway the contract's {@code TokenVerifier} allows.
     */
    public static final Duration EXPIRY_LEEWAY = Duration.ofMinutes(5);
    static final String PREFIX = "gatehouse.session.keys.";

    public SigningKeysConfig {
        List<String> problems = new ArrayList<>();
        boolean hasKek = kek != null && !kek.isBlank();
        boolean hasFile = kekFile != null && !kekFile.isBlank();
        if (!hasKek && !hasFile) {
            problems.add(PREFIX + "kek: must be set (or " + PREFIX + "kek-file): base64 of 32 random bytes, e.g."
                    + " `openssl rand -base64 32`; see docs/keys.md");
        } else if (hasKek && hasFile) {
            problems.add(PREFIX + "kek-file: set either " + PREFIX + "kek or " + PREFIX + "kek-file, not both");
        }
        positive(problems, "rotation-period", rotationPeriod);
        positive(problems, "publish-ahead", publishAhead);
        positive(problems, "max-token-lifetime", maxTokenLifetime);
        positive(problems, "reload-interval", reloadInterval);
        positive(problems, "maintenance-interval", maintenanceInterval);
        if (jwksMaxAge != null && jwksMaxAge.isNegative()) {
            problems.add(PREFIX + "jwks-max-age: must not be negative");
        }
        if (problems.isEmpty()) {
            // A new key must reach every replica (reload) and every verifier's cache (max-age) before it signs.
            if (reloadInterval.plus(jwksMaxAge).compareTo(publishAhead) >= 0) {
                problems.add(PREFIX + "reload-interval: reload-interval (" + reloadInterval + ") plus jwks-max-age ("
                        + jwksMaxAge + ") must be shorter than publish-ahead (" + publishAhead + ")");
            }
            if (publishAhead.compareTo(rotationPeriod) >= 0) {
                problems.add(PREFIX + "publish-ahead: must be shorter than rotation-period (" + rotationPeriod + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        kek = hasKek ? kek.strip() : null;
        kekFile = hasFile ? kekFile.strip() : null;
    }

    private static void positive(List<String> problems, String key, Duration value) {
        if (value != null && (value.isZero() || value.isNegative())) {
            problems.add(PREFIX + key + ": must be positive");
        }
    }

    /** How long a retired key stays published: every token it signed has expired by then. */
    public Duration publishedAfterRetirement() {
        return maxTokenLifetime.plus(EXPIRY_LEEWAY);
    }

    /** Never prints the KEK. */
    @Override
    public String toString() {
        return "SigningKeysConfig[algorithm=" + algorithm + ", kek=" + (kek == null ? "unset" : "***")
                + ", kekFile=" + kekFile + ", rotationPeriod=" + rotationPeriod + ", publishAhead=" + publishAhead
                + ", maxTokenLifetime=" + maxTokenLifetime + ", reloadInterval=" + reloadInterval
                + ", jwksMaxAge=" + jwksMaxAge + ", maintenanceInterval=" + maintenanceInterval + "]";
    }
}
