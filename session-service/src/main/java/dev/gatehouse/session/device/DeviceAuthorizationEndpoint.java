package dev.gatehouse.session.device;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gatehouse.session.ServerConfig;
import dev.gatehouse.session.client.GrantType;
import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.oauth.ClientAuthenticator;
import dev.gatehouse.session.oauth.FormParameters;
import dev.gatehouse.session.oauth.OAuthException;
import dev.gatehouse.session.oauth.Scopes;
import dev.gatehouse.session.oauth.TokenEndpoint;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The device authorization endpoint (RFC 8628 §3.1): the client authenticates as at the token endpoint (a public
 * client names itself with {@code client_id}) and gets a device code to poll with and a user code for the person
 * to enter at {@code verification_uri}.
 */
@ExecuteOn(TaskExecutors.BLOCKING)
@Controller("/oauth2")
public class DeviceAuthorizationEndpoint {
    /** Asked for when {@code scope} is absent, as far as the client may have them. */
    static final List<String> DEFAULT_SCOPES = List.of(Scopes.OPENID, "profile", "email", Scopes.OFFLINE_ACCESS);
    private final ClientAuthenticator authenticator;
    private final DeviceStore store;
    private final ServerConfig config;

    public DeviceAuthorizationEndpoint(ClientAuthenticator authenticator, DeviceStore store, ServerConfig config) {
        this.authenticator = authenticator;
        this.store = store;
        this.config = config;
    }

    /** RFC 8628 §3.2 device authorization response. */
    @Serdeable
    public record DeviceAuthorizationResponse(
            @JsonProperty("device_code") String deviceCode,
            @JsonProperty("user_code") String userCode,
            @JsonProperty("verification_uri") String verificationUri,
            @JsonProperty("verification_uri_complete") String verificationUriComplete,
            @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("interval") int interval) {
        /** Never prints the codes. */
        @Override
        public String toString() {
            return "DeviceAuthorizationResponse[expiresIn=" + expiresIn + ", interval=" + interval + "]";
        }
    }

    @Operation(summary = "Device authorization endpoint (RFC 8628)")
    @Post("/device_authorization")
    @Consumes(MediaType.ALL)
    @Produces(MediaType.APPLICATION_JSON)
    public HttpResponse<DeviceAuthorizationResponse> authorize(HttpRequest<?> request, @Body @Nullable String body) {
        FormParameters params = TokenEndpoint.form(request, body);
        OAuthClient client = authenticator.authenticate(request, params);
        if (!client.allows(GrantType.DEVICE_CODE)) {
            throw OAuthException.unauthorizedClient("this client may not use the device flow");
        }
        Set<String> scopes = params.get("scope").map(Scopes::parse).orElseGet(() -> defaultScopes(client));
        Scopes.allowed(scopes, client.scopes());
        if (scopes.isEmpty()) {
            throw OAuthException.invalidScope("scope is required: this client has none of the default scopes");
        }
        DeviceStore.Issued issued = store.create(client.clientId(), scopes);
        String verificationUri = config.deviceVerificationUrlOrDefault();
        String complete = verificationUri + (verificationUri.contains("?") ? "&" : "?") + "user_code="
                + issued.userCode();
        long expiresIn = Math.max(1, (config.deviceCodeTtl().toMillis() + 999) / 1000);
        return HttpResponse.ok(new DeviceAuthorizationResponse(issued.deviceCode(), issued.userCode(),
                        verificationUri, complete, expiresIn, issued.intervalSeconds()))
                .header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }

    private static Set<String> defaultScopes(OAuthClient client) {
        Set<String> scopes = new LinkedHashSet<>();
        DEFAULT_SCOPES.stream().filter(client.scopes()::contains).forEach(scopes::add);
        return scopes;
    }
}
