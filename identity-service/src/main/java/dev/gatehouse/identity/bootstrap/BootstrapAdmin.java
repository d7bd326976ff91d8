package dev.gatehouse.identity.bootstrap;

import dev.gatehouse.identity.user.PasswordHasher;
import dev.gatehouse.identity.user.UserRepository;
import dev.gatehouse.kit.id.Ids;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Creates the bootstrap admin at startup when configured and absent. Safe when several replicas start at once. */
@Singleton
public class BootstrapAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(BootstrapAdmin.class);
    private final BootstrapAdminConfig config;
    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Clock clock;

    public BootstrapAdmin(BootstrapAdminConfig config, UserRepository users, PasswordHasher hasher, Clock clock) {
        this.config = config;
        this.users = users;
        this.hasher = hasher;
        this.clock = clock;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("no bootstrap admin configured (gatehouse.bootstrap.admin.username is unset)");
            return;
        }
        LOG.info(ensureAdmin() ? "created bootstrap admin '{}'" : "bootstrap admin '{}' exists; left unchanged",
                config.username());
    }

    /** Returns true when this call created the admin. */
    @Transactional
    public boolean ensureAdmin() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String id = Ids.next("usr", clock);
        if (users.insertAdminIfAbsent(id, config.username(), now) == 0) {
            return false;
        }
        users.insertPassword(id, hasher.hash(config.password()), now);
        return true;
    }
}
