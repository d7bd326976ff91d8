package dev.gatehouse.gateway.websocket;

import dev.gatehouse.gateway.auth.GatewayPrincipal;
import dev.gatehouse.gateway.route.GatewayRoute;
import dev.gatehouse.gateway.route.RouteMatch;
import dev.gatehouse.gateway.route.RouteTable;
import dev.gatehouse.kit.http.Problem;
import dev.gatehouse.kit.http.ProblemType;
import dev.gatehouse.kit.http.RequestIdFilter;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * What the per-connection {@link UpgradeInterceptor}s share: the WebSocket routes, the access check, the upstream
 * connector, the identity headers sent upstream and the error bodies of refused upgrades.
 */
@Singleton
public class WebSocketGateway {
    /** Identity headers asserted to upstreams; whatever a client sends under this prefix is dropped. */
    static final String RESERVED_PREFIX = "x-gatehouse-";
    public static final String USER_HEADER = "X-Gatehouse-User";
    public static final String ORG_HEADER = "X-Gatehouse-Org";
    public static final String PERMISSIONS_HEADER = "X-Gatehouse-Permissions";
    public static final String SESSION_HEADER = "X-Gatehouse-Session";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "forwarded", "content-length");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{8,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A WebSocket upgrade's route and its WebSocket settings. */
    record Target(RouteMatch match, WebSocketSettings.Route settings) {
    }

    private final RouteTable routes;
    private final WebSocketSettings settings;
    private final Map<String, WebSocketSettings.Route> byRoute;
    private final WebSocketAccess access;
    private final CredentialWatch watch;
    private final JsonMapper json;
    private final UpstreamConnector connector;
    private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();

    public WebSocketGateway(RouteTable routes, WebSocketSettings settings,
                            WebSocketAccess access, CredentialWatch watch, JsonMapper json) {
        this.routes = routes;
        this.settings = settings;
        this.access = access;
        this.watch = watch;
        this.json = json;
        Map<String, WebSocketSettings.Route> map = new HashMap<>();
        Set<String> ids = new java.util.HashSet<>();
        routes.routes().forEach(r -> ids.add(r.id()));
        for (int i = 0; i < settings.routes().size(); i++) {
            WebSocketSettings.Route route = settings.routes().get(i);
            if (!ids.contains(route.route())) {
                throw new ConfigurationException(WebSocketSettings.PREFIX + ".routes[" + i + "].route: no gateway "
                        + "route with id '" + route.route() + "' (routes: " + ids + ")");
            }
            map.put(route.route(), route);
        }
        this.byRoute = Map.copyOf(map);
        this.connector = new UpstreamConnector(settings);
    }

    /** Whether any route proxies WebSockets (no handler is installed otherwise). */
    boolean enabled() {
        return !byRoute.isEmpty();
    }

    /** The WebSocket route of an upgrade request; empty when its route does not proxy WebSockets. */
    Optional<Target> target(HttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).rawPath();
        return routes.match(host(request.headers().get(HttpHeaderNames.HOST)), "GET", path)
                .flatMap(match -> Optional.ofNullable(byRoute.get(match.route().id()))
                        .map(ws -> new Target(match, ws)));
    }

    WebSocketSettings settings() {
        return settings;
    }

    WebSocketAccess access() {
        return access;
    }

    UpstreamConnector connector() {
        return connector;
    }

    void watch(Channel client, Channel upstream, GatewayPrincipal principal) {
        watch.watch(client, upstream, principal);
    }

    /** The client's request id when it is well-formed (as the kit's RequestIdFilter accepts it), else a new one. */
    String requestId(HttpRequest request) {
        String offered = request.headers().get(RequestIdFilter.HEADER);
        if (offered != null && REQUEST_ID.matcher(offered).matches()) {
            return offered;
        }
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The upstream WebSocket URI: the next instance of the route (round-robin), the request's path and query. */
    URI upstreamUri(Target target, String requestUri) {
        GatewayRoute route = target.match().route();
        List<URI> instances = route.upstreams();
        URI base = instances.size() == 1 ? instances.getFirst() : instances.get(Math.floorMod(
                counters.computeIfAbsent(route.id(), id -> new AtomicInteger()).getAndIncrement(), instances.size()));
        QueryStringDecoder decoded = new QueryStringDecoder(requestUri);
        String query = requestUri.indexOf('?') >= 0 ? requestUri.substring(requestUri.indexOf('?') + 1) : null;
        return RouteTable.target(base, decoded.rawPath(), query);
    }

    /**
     * The handshake headers for the upstream: the client's end-to-end headers without hop-by-hop ones, its own
     * {@code Sec-WebSocket-*} (the upstream handshake has its own key, version and subprotocols; the token never
     * leaves the gateway) and anything under {@code X-Gatehouse-}; then the gateway's identity headers and
     * {@code X-Forwarded-*}.
     */
    HttpHeaders upstreamHeaders(HttpRequest request, GatewayPrincipal principal, Channel client, String requestId) {
        HttpHeaders in = request.headers();
        List<String> connectionListed = new ArrayList<>();
        for (String value : in.getAll(HttpHeaderNames.CONNECTION)) {
            for (String name : value.split(",")) {
                connectionListed.add(name.strip().toLowerCase(Locale.ROOT));
            }
        }
        HttpHeaders out = new DefaultHttpHeaders();
        for (Map.Entry<String, String> header : in) {
            String lower = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || lower.startsWith("proxy-") || lower.startsWith("sec-websocket-")
                    || lower.startsWith(RESERVED_PREFIX) || connectionListed.contains(lower)
                    || lower.equals(RequestIdFilter.HEADER.toLowerCase(Locale.ROOT))
                    || lower.startsWith("x-forwarded-")) {
                continue;
            }
            out.add(header.getKey(), header.getValue());
        }
        out.set(RequestIdFilter.HEADER, requestId);
        String forwardedFor = in.get("X-Forwarded-For");
        String clientIp = client.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(client.remoteAddress());
        out.set("X-Forwarded-For", forwardedFor == null || forwardedFor.isBlank() ? clientIp
                : forwardedFor + ", " + clientIp);
        out.set("X-Forwarded-Proto", client.pipeline().get("ssl") != null ? "https" : "http");
        if (in.contains(HttpHeaderNames.HOST)) {
            out.set("X-Forwarded-Host", in.get(HttpHeaderNames.HOST));
        }
        identityHeaders(principal).forEach(out::set);
        return out;
    }

    /** The identity the gateway asserts for {@code principal}; none for an anonymous caller. */
    static Map<String, String> identityHeaders(GatewayPrincipal principal) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (principal == null) {
            return headers;
        }
        headers.put(USER_HEADER, principal.subject());
        principal.organization().ifPresent(org -> headers.put(ORG_HEADER, org));
        if (!principal.permissions().isEmpty()) {
            headers.put(PERMISSIONS_HEADER, String.join(",", new java.util.TreeSet<>(principal.permissions())));
        }
        principal.session().ifPresent(sid -> headers.put(SESSION_HEADER, sid));
        return headers;
    }

    /** The HTTP answer to a refused upgrade, in the route's error style; the connection closes after it. */
    FullHttpResponse errorResponse(ByteBufAllocator alloc, GatewayRoute route, UpgradeDecision.Refused refused,
                                   String path, String requestId) {
        int status = refused.type().status().getCode();
        byte[] body;
        String contentType;
        try {
            if (route.errors() == GatewayRoute.ErrorStyle.SUCCESS_FALSE) {
                body = json.writeValueAsBytes(Map.of("success", false, "error", refused.detail()));
                contentType = "application/json";
            } else {
                body = json.writeValueAsBytes(new Problem(refused.type().uri(), refused.type().title(), status,
                        refused.detail(), path, requestId, null));
                contentType = "application/problem+json";
            }
        } catch (IOException e) {
            body = refused.detail().getBytes(StandardCharsets.UTF_8);
            contentType = "text/plain";
        }
        ByteBuf content = alloc.buffer(body.length).writeBytes(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(RequestIdFilter.HEADER, requestId);
        refused.headers().forEach(response.headers()::set);
        return response;
    }

    private static String host(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return null;
        }
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    @PreDestroy
    void close() {
        connector.close();
    }
}
