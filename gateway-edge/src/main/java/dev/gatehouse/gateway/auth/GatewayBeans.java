package dev.gatehouse.gateway.auth;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.net.http.HttpClient;
import java.time.Duration;

/** The JDK HTTP client of the gateway's own calls: JWKS, service tokens, cookie refresh, tenant provisioning. */
@Factory
class GatewayBeans {
    @Singleton
    HttpClient internalHttpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }
}
