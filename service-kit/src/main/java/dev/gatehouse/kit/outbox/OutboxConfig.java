package dev.gatehouse.kit.outbox;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Outbox relay settings, under {@code gatehouse.outbox}.
 *
 * @param pollInterval    how often the relay looks for unpublished events when idle
 * @param batchSize       events published per transaction
 * @param initialBackoff  first wait after Kafka or PostgreSQL failed; doubles up to {@code maxBackoff}
 * @param maxBackoff      longest wait between attempts while Kafka is down
 * @param sendTimeout     how long one batch may wait for Kafka's acknowledgements
 * @param retention       how long published rows are kept (for inspection) before they are purged
 */
@Context
@ConfigurationProperties("gatehouse.outbox")
public record OutboxConfig(
        @Bindable(defaultValue = "200ms") @NotNull Duration pollInterval,
        @Bindable(defaultValue = "500") @Min(1) @Max(10_000) int batchSize,
        @Bindable(defaultValue = "250ms") @NotNull Duration initialBackoff,
        @Bindable(defaultValue = "10s") @NotNull Duration maxBackoff,
        @Bindable(defaultValue = "15s") @NotNull Duration sendTimeout,
        @Bindable(defaultValue = "7d") @NotNull Duration retention) {
}
