package dev.gatehouse.identity.upstream;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One deployment-wide provider in configuration: {@code gatehouse.identity.upstream.providers.<name>.*}, e.g.
 * {@code ...providers.google.client-id}. See {@link ProviderSettings} for the meaning of each property; {@code type}
 * defaults to the name when the name is google, microsoft or github.
 */
@EachProperty("gatehouse.identity.upstream.providers")
public record UpstreamProviderProperties(@Parameter String name,
                                         @Nullable String type,
                                         @Nullable URI issuer,
                                         @Nullable String clientId,
                                         @Nullable String clientSecret,
                                         @Nullable List<String> scopes,
                                         @Nullable URI redirectUri,
                                         @Nullable URI desktopRedirectUri,
                                         @Nullable URI authorizationEndpoint,
                                         @Nullable URI tokenEndpoint,
                                         @Nullable URI jwksUri,
                                         @Nullable URI apiBaseUri,
                                         @Nullable Map<String, String> authorizationParameters) {

    ProviderSettings toSettings(URI defaultRedirectUri) {
        ProviderKind kind = ProviderKind.parse(type == null ? name : type).orElse(null);
        return new ProviderSettings(name, kind, null, issuer, clientId, clientSecret, scopes,
                redirectUri == null ? defaultRedirectUri : redirectUri, desktopRedirectUri, authorizationEndpoint,
                tokenEndpoint, jwksUri, apiBaseUri, authorizationParameters);
    }

    @Override
    public String toString() {
        return "UpstreamProviderProperties[name=" + name + ", type=" + type + "]";
    }
}
