package dev.gatehouse.gateway.revocation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The gateway's event feed, under {@code gatehouse.gateway.events}: API keys and revocations from Kafka.
 *
 * @param bootstrapServers Kafka ({@code KAFKA_BOOTSTRAP_SERVERS}, like the services); the feed is off without it, and
 *                         then no API key is known and nothing is revoked early
 * @param sessionLookback  how far back {@code SessionRevoked} events are read at startup: at least the longest access
 *                         token lifetime, so a restarted replica still rejects tokens of sessions revoked before
 * @param pollTimeout      how long one poll waits for events
 */
@ConfigurationProperties("gatehouse.gateway.events")
public record EventFeedConfig(@Nullable String bootstrapServers,
                              @Bindable(defaultValue = "1h") Duration sessionLookback,
                              @Bindable(defaultValue = "200ms") Duration pollTimeout) {
    public boolean enabled() {
        return bootstrapServers != null && !bootstrapServers.isBlank();
    }
}
