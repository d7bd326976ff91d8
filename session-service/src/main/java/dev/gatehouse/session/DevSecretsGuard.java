package dev.gatehouse.session;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Refuses to start outside the {@code dev} and {@code test} environments with the published dev-only hash and
 * cookie keys of application-dev.yml / application-test.yml: anyone could forge session cookies or test secret
 * hashes with them.
 */
@Context
@Singleton
public class DevSecretsGuard {
    /** base64("gatehouse-dev-only-insecure-hmac"). */
    static final String DEV_HASH_KEY = "Z2F0ZWhvdXNlLWRldi1vbmx5LWluc2VjdXJlLWhtYWM=";
    /** base64("gatehouse-dev-only-cookie-seal!!"). */
    static final String DEV_COOKIE_KEY = "Z2F0ZWhvdXNlLWRldi1vbmx5LWNvb2tpZS1zZWFsISE=";
    private static final Logger LOG = LoggerFactory.getLogger(DevSecretsGuard.class);

    public DevSecretsGuard(ServerConfig config, Environment environment) {
        List<String> published = new ArrayList<>();
        if (DEV_HASH_KEY.equals(config.hashKey().strip())) {
            published.add("gatehouse.session.hash-key");
        }
        if (DEV_COOKIE_KEY.equals(config.cookieKey().strip())) {
            published.add("gatehouse.session.cookie-key");
        }
        if (published.isEmpty()) {
            return;
        }
        Set<String> names = environment.getActiveNames();
        if (!names.contains(Environment.DEVELOPMENT) && !names.contains(Environment.TEST)) {
            throw new InvalidConfigurationException(published.stream().map(key -> key + ": is the published"
                    + " dev-only key; outside the dev and test environments set a random one (docs/oauth.md)")
                    .toList());
        }
        LOG.warn("{} use the published dev-only values: fine for dev and tests, never for real users", published);
    }
}
