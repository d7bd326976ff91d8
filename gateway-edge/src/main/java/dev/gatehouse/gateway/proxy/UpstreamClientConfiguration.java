package dev.gatehouse.gateway.proxy;

import dev.gatehouse.gateway.route.GatewayRoutesConfig;
import io.micronaut.http.client.HttpClientConfiguration;
import jakarta.inject.Singleton;

/**
 * The HTTP client settings for upstream calls, taken from {@link GatewayRoutesConfig} so that the gateway's
 * timeouts live under {@code gatehouse.gateway} and not in Micronaut's global client settings.
 */
@Singleton
public class UpstreamClientConfiguration extends HttpClientConfiguration {
    private final ConnectionPoolConfiguration pool = new ConnectionPoolConfiguration();

    public UpstreamClientConfiguration(GatewayRoutesConfig config) {
        setConnectTimeout(config.connectTimeout());
        // For proxied requests this is a per-connection read idle timeout: no byte from the upstream for this long
        // (before or between response chunks) fails the call with ReadTimeoutException, which ProxyFilter maps to 504.
        setReadTimeout(config.readTimeout());
        // An upstream's redirects are for the browser, not for the gateway to follow.
        setFollowRedirects(false);
    }

    @Override
    public ConnectionPoolConfiguration getConnectionPoolConfiguration() {
        return pool;
    }
}
