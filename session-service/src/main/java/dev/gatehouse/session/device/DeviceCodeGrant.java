package dev.gatehouse.session.device;

import dev.gatehouse.session.client.GrantType;
import dev.gatehouse.session.client.OAuthClient;
import dev.gatehouse.session.oauth.FormParameters;
import dev.gatehouse.session.oauth.OAuthException;
import dev.gatehouse.session.oauth.Scopes;
import dev.gatehouse.session.oauth.TokenGrant;
import dev.gatehouse.session.oauth.TokenIssuer;
import dev.gatehouse.session.oauth.TokenResponse;
import dev.gatehouse.session.session.SessionService;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * {@code urn:ietf:params:oauth:grant-type:device_code} (RFC 8628 §3.4, §3.5): the device polls with its device code
 * until the user has answered. Every outcome but success is a 400 with the RFC 8628 code; polling sooner than the
 * interval is {@code slow_down} and adds 5 seconds to that device code's interval. A device code is redeemed once;
 * presenting it again revokes the session the redemption opened (as for a replayed authorization code).
 */
@Singleton
public class DeviceCodeGrant implements TokenGrant {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceCodeGrant.class);
    private final DeviceStore store;
    private final SessionService sessions;
    private final TokenIssuer issuer;

    public DeviceCodeGrant(DeviceStore store, SessionService sessions, TokenIssuer issuer) {
        this.store = store;
        this.sessions = sessions;
        this.issuer = issuer;
    }

    @Override
    public GrantType type() {
        return GrantType.DEVICE_CODE;
    }

    @Override
    public TokenResponse exchange(OAuthClient client, FormParameters params, HttpRequest<?> request) {
        String deviceCode = params.require("device_code");
        // checked before the poll, so that a bad audience does not use up an approved grant
        var audience = TokenIssuer.audience(client, params);
        String sessionId = sessions.newSessionId();
        DeviceStore.Approved approved = switch (store.poll(deviceCode, client.clientId(), sessionId)) {
            case DeviceStore.Unknown unknown -> throw OAuthException.invalidGrant("unknown device code");
            case DeviceStore.OtherClient other -> throw OAuthException.invalidGrant("device code was issued to"
                    + " another client");
            case DeviceStore.Expired expired -> throw error("expired_token", "the device code has expired");
            case DeviceStore.AuthorizationPending pending -> throw error("authorization_pending",
                    "the user has not answered yet");
            case DeviceStore.SlowDown slow -> throw error("slow_down", "polling too fast: wait "
                    + slow.intervalSeconds() + " seconds between requests");
            case DeviceStore.Denied denied -> throw error("access_denied", "the user denied the request");
            case DeviceStore.Spent spent -> {
                if (spent.sessionId() != null && sessions.revoke(spent.sessionId(), "device_code_replay")) {
                    LOG.warn("device code replayed by client {}: session {} revoked", client.clientId(),
                            spent.sessionId());
                }
                throw OAuthException.invalidGrant("device code already used");
            }
            case DeviceStore.Approved ok -> ok;
        };
        // the client's allowed scopes may have shrunk since the device authorization request
        Set<String> scopes = Scopes.allowed(approved.scopes(), client.scopes());
        DeviceApproval user = approved.approval();
        var opened = sessions.open(new SessionService.OpenRequest(sessionId, user.userId(), user.organizationId(),
                client, scopes, audience, user.userClaims(), user.platformAdmin(), user.authTime(),
                request.getHeaders().get(HttpHeaders.USER_AGENT), request.getRemoteAddress().getHostString(),
                TokenIssuer.issuesRefreshToken(client, scopes), false));
        return issuer.respond(opened.session(), client, scopes, audience, opened.refreshToken(), null);
    }

    private static OAuthException error(String code, String description) {
        return new OAuthException(code, description, 400);
    }
}
