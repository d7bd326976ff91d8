package dev.gatehouse.kit.outbox;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;

/**
 * Migrates the kit's own tables (outbox, inbox, dead letters) in the {@code gatehouse_kit} schema of each service's
 * database, with a Flyway history of their own, as soon as the DataSource exists. The service's own migrations
 * (micronaut-flyway, schema {@code public}) never see them. Flyway's lock makes concurrent replicas safe.
 */
@Singleton
@Requires(classes = {Flyway.class, DelegatingDataSource.class})
@Requires(property = "gatehouse.kit.migrations.enabled", notEquals = "false")
public class KitMigrations implements BeanCreatedEventListener<DataSource> {
    static final String SCHEMA = "gatehouse_kit";
    private static final Logger LOG = LoggerFactory.getLogger(KitMigrations.class);

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        DataSource dataSource = event.getBean();
        // Migrate through the pool itself: Micronaut Data's contextual proxy creates beans on getConnection(),
        // which would re-enter this listener (a StackOverflowError, depending on listener order).
        var result = Flyway.configure()
                .dataSource(DelegatingDataSource.unwrapDataSource(dataSource))
                .schemas(SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/kit")
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            LOG.info("migrated {} to version {}", SCHEMA, result.targetSchemaVersion);
        }
        return dataSource;
    }
}
