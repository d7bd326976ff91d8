package dev.gatehouse.gateway.route;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One route of the gateway, resolved and validated: what it matches, where it goes, who may call it and how errors
 * are rendered. Built from {@code gatehouse.gateway.routes[n]} by {@link RouteTable}.
 *
 * @param id                   unique name, used in logs and metrics
 * @param hosts                {@code Host} names it matches (lower case, without port; {@code *.example.com} matches
 *                             any subdomain); empty matches every host
 * @param prefix               path prefix starting with {@code /}; null when {@code pattern} is set
 * @param pattern              path pattern with {@code {name}} segments and an optional trailing {@code /**}; null
 *                             when {@code prefix} is set
 * @param methods              upper-case HTTP methods it matches; empty matches every method
 * @param upstream             name of the upstream (an entry of {@code gatehouse.gateway.upstreams}), for logs
 * @param upstreams            base URIs of the upstream's instances, used round-robin; never empty
 * @param timeout              how long the upstream may take to start answering before the gateway answers 504
 * @param retries              how many times an idempotent request is retried on another instance when the
 *                             connection fails; 0 for none
 * @param access               whether the gateway authenticates callers of this route
 * @param authenticators       credentials accepted, tried in this order
 * @param permissions          permission names the principal must all hold; empty for none
 * @param role                 minimum role the principal must hold; null for none
 * @param organizationVariable name of the path variable (of {@code pattern}) holding an organization id that must be
 *                             the principal's unless platform admin; null for none
 * @param admin                an admin route: API keys never reach it
 * @param errors               how authentication and authorization errors are rendered
 * @param loginUrl             where {@link ErrorStyle#REDIRECT} sends browsers; null otherwise
 * @param rateLimit            name of the rate-limit policy; null for none
 * @param cors                 name of the CORS policy; null for none
 */
public record GatewayRoute(String id, Set<String> hosts, String prefix, String pattern, Set<String> methods,
                           String upstream, List<URI> upstreams, Duration timeout, int retries, Access access,
                           List<AuthenticatorKind> authenticators, Set<String> permissions, Role role,
                           String organizationVariable, boolean admin, ErrorStyle errors, URI loginUrl,
                           String rateLimit, String cors) {

    public GatewayRoute {
        Objects.requireNonNull(id, "id");
        hosts = hosts == null ? Set.of() : Set.copyOf(hosts);
        methods = methods == null ? Set.of() : Set.copyOf(methods);
        upstreams = List.copyOf(upstreams);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(access, "access");
        authenticators = authenticators == null ? List.of() : List.copyOf(authenticators);
        permissions = permissions == null ? Set.of() : Set.copyOf(permissions);
        Objects.requireNonNull(errors, "errors");
    }

    /** Whether the gateway needs a principal before proxying. */
    public boolean requiresAuthentication() {
        return access == Access.AUTHENTICATED;
    }

    /** Who may call a route. */
    public enum Access {
        /** No authentication by the gateway: credentials pass through untouched (the service checks them). */
        PUBLIC,
        /** Credentials are checked when sent (bad ones get 401), but none is needed. */
        OPTIONAL,
        /** A credential of one of the route's authenticators is required. */
        AUTHENTICATED;

        public static Access of(String name) {
            return valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** The credentials the gateway understands, by configuration name. */
    public enum AuthenticatorKind {
        /** {@code Authorization: Bearer <JWT>}. */
        BEARER("bearer"),
        /** The sealed session cookie. */
        COOKIE("cookie"),
        /** {@code X-API-Key}. */
        API_KEY("api-key");

        private final String configName;

        AuthenticatorKind(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        public static AuthenticatorKind of(String name) {
            for (AuthenticatorKind kind : values()) {
                if (kind.configName.equalsIgnoreCase(name.strip())) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown authenticator '" + name + "' (bearer, cookie, api-key)");
        }
    }

    /** Seed 001's role hierarchy: viewer &lt; operator &lt; admin. */
    public enum Role {
        VIEWER, OPERATOR, ADMIN;

        /** The role's name in tokens and configuration. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether holding this role satisfies a route requiring {@code required}. */
        public boolean includes(Role required) {
            return compareTo(required) >= 0;
        }

        public static Role of(String name) {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        }
    }

    /** How a route answers 401 and 403. */
    public enum ErrorStyle {
        /** {@code application/problem+json} (RFC 9457), the platform's default. */
        PROBLEM,
        /** Seed 001's {@code {"success":false,"error":"..."}}. */
        SUCCESS_FALSE,
        /** Browsers are redirected to {@code loginUrl} on 401; 403 renders as problem+json. */
        REDIRECT;

        public static ErrorStyle of(String name) {
            return valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }
}
