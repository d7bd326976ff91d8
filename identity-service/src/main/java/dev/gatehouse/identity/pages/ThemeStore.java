package dev.gatehouse.identity.pages;

import dev.gatehouse.contract.event.EventEnvelope;
import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.Topics;
import dev.gatehouse.contract.event.tenant.OrganizationCreated;
import dev.gatehouse.contract.event.tenant.OrganizationUpdated;
import dev.gatehouse.kit.inbox.EventHandlers;
import dev.gatehouse.kit.inbox.EventSubscription;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;

/**
 * Each organization's branding, as tenant-service publishes it on {@code gatehouse.tenant.organization.v1}: created
 * organizations get a row with their name, {@code OrganizationUpdated} (which carries the whole new state) overwrites
 * it. An older event never overwrites a newer one. Read by {@link Themes}.
 */
@Singleton
public class ThemeStore {
    private final TransactionOperations<Connection> tx;

    public ThemeStore(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

    /** One organization's branding. */
    public record Branding(String organizationId, String slug, String displayName, @Nullable String logoUrl,
                           @Nullable String primaryColor, @Nullable String accentColor) {
    }

    @Factory
    static class Subscription {
        @Bean
        @Singleton
        EventSubscription pageThemeSubscription(ThemeStore store) {
            return new EventSubscription("page-theme", Topics.TENANT_ORGANIZATION, EventHandlers.builder()
                    .on(Events.ORGANIZATION_CREATED, store::created)
                    .on(Events.ORGANIZATION_UPDATED, store::updated)
                    .build());
        }
    }

    void created(EventEnvelope<OrganizationCreated> event) throws SQLException {
        OrganizationCreated created = event.payload();
        upsert(event, new Branding(created.organizationId().value(), created.slug(), created.displayName(),
                null, null, null));
    }

    void updated(EventEnvelope<OrganizationUpdated> event) throws SQLException {
        OrganizationUpdated updated = event.payload();
        upsert(event, new Branding(updated.organizationId().value(), updated.slug(), updated.displayName(),
                updated.logoUrl(), updated.primaryColor(), updated.accentColor()));
    }

    private void upsert(EventEnvelope<?> event, Branding branding) throws SQLException {
        Connection connection = (Connection) tx.findTransactionStatus().orElseThrow().getConnection();
        try (var upsert = connection.prepareStatement("""
                insert into page_theme (organization_id, slug, display_name, logo_url, primary_color, accent_color,
                                        occurred_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (organization_id) do update set slug = excluded.slug,
                    display_name = excluded.display_name, logo_url = excluded.logo_url,
                    primary_color = excluded.primary_color, accent_color = excluded.accent_color,
                    occurred_at = excluded.occurred_at
                where page_theme.occurred_at <= excluded.occurred_at""")) {
            upsert.setString(1, branding.organizationId());
            upsert.setString(2, branding.slug());
            upsert.setString(3, branding.displayName());
            upsert.setString(4, branding.logoUrl());
            upsert.setString(5, branding.primaryColor());
            upsert.setString(6, branding.accentColor());
            upsert.setTimestamp(7, Timestamp.from(event.occurredAt()));
            upsert.executeUpdate();
        }
    }

    /** By organization id or slug. */
    public Optional<Branding> find(String organization) {
        return tx.executeRead(status -> {
            try (var select = status.getConnection().prepareStatement("""
                    select organization_id, slug, display_name, logo_url, primary_color, accent_color
                    from page_theme where organization_id = ? or slug = ?
                    order by (organization_id = ?) desc, occurred_at desc limit 1""")) {
                select.setString(1, organization);
                select.setString(2, organization);
                select.setString(3, organization);
                try (var rs = select.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Branding(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6)))
                            : Optional.<Branding>empty();
                }
            }
        });
    }
}
