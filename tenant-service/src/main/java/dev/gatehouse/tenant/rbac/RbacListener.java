package dev.gatehouse.tenant.rbac;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.annotation.PreDestroy;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Listens for {@link RbacChanges#CHANNEL} on a dedicated connection and drops the cached entries of each changed
 * organization, so a change made on another replica reaches this one's cache within milliseconds. When the
 * connection is lost, notifications could have been missed: the whole cache is dropped and listening resumes.
 */
@Context
@Requires(property = "gatehouse.tenant.rbac.cache-max-entries", notEquals = "0")
public class RbacListener {
    private static final Logger LOG = LoggerFactory.getLogger(RbacListener.class);
    private final DataSource dataSource;
    private final EffectivePermissions effective;
    private final Thread thread;
    private volatile boolean running = true;

    public RbacListener(DataSource dataSource, EffectivePermissions effective) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.effective = effective;
        this.thread = Thread.ofPlatform().daemon().name("rbac-listener").start(this::run);
    }

    private void run() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("listen " + RbacChanges.CHANNEL);
                }
                // anything may have changed while we were not listening
                effective.invalidateAll();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null) {
                        for (PGNotification n : notifications) {
                            effective.invalidate(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                effective.invalidateAll();
                LOG.warn("permission-cache listener lost its connection ({}); retrying", e.getClass().getSimpleName());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        thread.interrupt();
    }
}
