package dev.gatehouse.gateway.websocket;

import dev.gatehouse.gateway.auth.AuthConfig;
import dev.gatehouse.gateway.auth.AuthResult;
import dev.gatehouse.gateway.auth.Authenticator;
import dev.gatehouse.gateway.auth.GatewayPrincipal;
import dev.gatehouse.gateway.authz.AuthorizeFilter;
import dev.gatehouse.gateway.route.GatewayRoute;
import dev.gatehouse.gateway.route.GatewayRoute.AuthenticatorKind;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.ServerCookieEncoder;
import io.micronaut.http.simple.SimpleHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Authenticates and authorizes a WebSocket upgrade with the route's own authenticators and rules, as the HTTP
 * pipeline does for requests (AuthenticateFilter, AuthorizeFilter), with two WebSocket rules on top:
 * <ul>
 *   <li>A token in {@code Sec-WebSocket-Protocol} (seed 000: {@code Bearer, <token>}) is then the only credential
 *       looked at: a JWT goes to the {@code bearer} authenticator, anything else is taken as the sealed session
 *       cookie's value and goes to the {@code cookie} authenticator; the route must accept that kind.</li>
 *   <li>Cookies count only when the page's {@code Origin} is on the route's allowlist: browsers send cookies with
 *       cross-site WebSocket upgrades (no CORS, no SameSite=Lax protection for same-site subdomains), so a session
 *       cookie from any other origin, or without an {@code Origin}, is refused with 403 instead of being used.</li>
 * </ul>
 */
@Singleton
public class WebSocketAccess {
    private final Map<AuthenticatorKind, Authenticator> authenticators = new EnumMap<>(AuthenticatorKind.class);
    private final AuthConfig auth;

    public WebSocketAccess(List<Authenticator> authenticators, AuthConfig auth) {
        authenticators.forEach(a -> this.authenticators.put(a.kind(), a));
        this.auth = auth;
    }

    CompletionStage<UpgradeDecision> decide(WebSocketGateway.Target target, FullHttpRequest request,
                                            BearerSubprotocol offer) {
        GatewayRoute route = target.match().route();
        if (route.access() == GatewayRoute.Access.PUBLIC) {
            return done(new UpgradeDecision.Allowed(null, List.of()));
        }
        SimpleHttpRequest<Object> credentials = new SimpleHttpRequest<>(HttpMethod.GET, request.uri(), null);
        List<AuthenticatorKind> kinds;
        boolean crossSiteCookies = false;
        if (offer.marked()) {
            String token = offer.token().orElse(null);
            if (token == null) {
                return done(invalid("Sec-WebSocket-Protocol names Bearer but carries no token", List.of()));
            }
            AuthenticatorKind kind = isCompactJws(token) ? AuthenticatorKind.BEARER : AuthenticatorKind.COOKIE;
            if (!route.authenticators().contains(kind)) {
                return done(invalid("This route does not accept this kind of token", List.of()));
            }
            if (kind == AuthenticatorKind.BEARER) {
                credentials.getHeaders().set(HttpHeaderNames.AUTHORIZATION.toString(), "Bearer " + token);
            } else {
                credentials.cookie(Cookie.of(auth.cookieNames().getFirst(), token));
            }
            kinds = List.of(kind);
        } else {
            request.headers().forEach(h -> {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (!name.equals("cookie") && !name.startsWith("sec-websocket-")) {
                    credentials.getHeaders().add(h.getKey(), h.getValue());
                }
            });
            boolean sessionCookie = false;
            List<Cookie> cookies = new ArrayList<>();
            for (String line : request.headers().getAll(HttpHeaderNames.COOKIE)) {
                for (var c : ServerCookieDecoder.LAX.decodeAll(line)) {
                    cookies.add(Cookie.of(c.name(), c.value()));
                    sessionCookie |= auth.cookieNames().contains(c.name());
                }
            }
            if (target.settings().allows(request.headers().get(HttpHeaderNames.ORIGIN))) {
                cookies.forEach(credentials::cookie);
            } else {
                crossSiteCookies = sessionCookie && route.authenticators().contains(AuthenticatorKind.COOKIE);
            }
            kinds = route.authenticators();
        }
        boolean refuseCrossSite = crossSiteCookies;
        return authenticate(kinds, 0, credentials).thenApply(result -> switch (result) {
            case AuthResult.Authenticated ok -> authorize(target, ok);
            case AuthResult.NoCredential none -> refuseCrossSite
                    ? new UpgradeDecision.Refused(ProblemType.FORBIDDEN,
                    "Cookies are accepted only from the allowed origins of this WebSocket")
                    : route.requiresAuthentication()
                    ? new UpgradeDecision.Refused(ProblemType.UNAUTHORIZED, "Authentication is required",
                    List.of(Map.entry("WWW-Authenticate", "Bearer")))
                    : new UpgradeDecision.Allowed(null, List.of());
            case AuthResult.Rejected rejected -> invalid(rejected.reason(), rejected.clearCookies());
            case AuthResult.Unavailable unavailable ->
                    new UpgradeDecision.Refused(ProblemType.SERVICE_UNAVAILABLE, unavailable.reason());
        });
    }

    private static UpgradeDecision authorize(WebSocketGateway.Target target, AuthResult.Authenticated ok) {
        GatewayPrincipal principal = ok.principal();
        return AuthorizeFilter.denial(target.match(), principal)
                .<UpgradeDecision>map(reason -> new UpgradeDecision.Refused(ProblemType.FORBIDDEN, reason))
                .orElseGet(() -> new UpgradeDecision.Allowed(principal, setCookies(ok.setCookies())));
    }

    private static UpgradeDecision.Refused invalid(String reason, List<Cookie> clearCookies) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("WWW-Authenticate", "Bearer error=\"invalid_token\""));
        headers.addAll(setCookies(clearCookies));
        return new UpgradeDecision.Refused(ProblemType.UNAUTHORIZED, reason, headers);
    }

    private static List<Map.Entry<String, String>> setCookies(List<Cookie> cookies) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Cookie cookie : cookies) {
            for (String value : ServerCookieEncoder.INSTANCE.encode(cookie)) {
                headers.add(Map.entry("Set-Cookie", value));
            }
        }
        return headers;
    }

    private CompletionStage<AuthResult> authenticate(List<AuthenticatorKind> kinds, int index,
                                                     SimpleHttpRequest<Object> request) {
        if (index >= kinds.size()) {
            return CompletableFuture.completedFuture(AuthResult.NO_CREDENTIAL);
        }
        Authenticator authenticator = authenticators.get(kinds.get(index));
        if (authenticator == null) {
            return authenticate(kinds, index + 1, request);
        }
        return authenticator.authenticate(request).thenCompose(result -> result instanceof AuthResult.NoCredential
                ? authenticate(kinds, index + 1, request) : CompletableFuture.completedFuture(result));
    }

    /** Three base64url parts: a JWS (the bearer authenticator decides whether it is a good one). */
    static boolean isCompactJws(String token) {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                dots++;
            } else if (!(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_')) {
                return false;
            }
        }
        return dots == 2;
    }

    private static CompletionStage<UpgradeDecision> done(UpgradeDecision decision) {
        return CompletableFuture.completedFuture(decision);
    }
}
