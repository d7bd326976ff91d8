package dev.gatehouse.tenant;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import dev.gatehouse.tenant.invitation.InvitationConfig;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/**
 * Refuses to start outside the {@code dev} and {@code test} environments with the published dev-only invitation
 * signing key of application-dev.yml / application-test.yml: anyone could forge invitations with it.
 */
@Context
public class DevSecretsGuard {
    /** base64("gatehouse-dev-only-invite-signing"). */
    static final String DEV_INVITATION_KEY = "Z2F0ZWhvdXNlLWRldi1vbmx5LWludml0ZS1zaWduaW5n";
    private static final Logger LOG = LoggerFactory.getLogger(DevSecretsGuard.class);

    public DevSecretsGuard(InvitationConfig invitations, Environment environment) {
        if (!DEV_INVITATION_KEY.equals(invitations.signingKey().strip())) {
            return;
        }
        Set<String> names = environment.getActiveNames();
        if (!names.contains(Environment.DEVELOPMENT) && !names.contains(Environment.TEST)) {
            throw new InvalidConfigurationException(List.of("gatehouse.tenant.invitations.signing-key: is the"
                    + " published dev-only key; outside the dev and test environments set a random one"
                    + " (docs/tenants.md)"));
        }
        LOG.warn("gatehouse.tenant.invitations.signing-key is the published dev-only value: fine for dev and tests,"
                + " never for real users");
    }
}
