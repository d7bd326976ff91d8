package dev.gatehouse.identity.signin;

import dev.gatehouse.identity.user.User;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;

import java.util.Optional;

/**
 * One rule of sign-in discovery ({@code POST /auth/sign-in}): beans implementing it are asked in {@link #getOrder()}
 * order (lowest first) and the first answer wins; without any, {@code gatehouse.identity.sign-in.default-method}.
 * E.g. a verified SSO domain (order 0), a password (100), magic codes. A rule must not reveal whether an account
 * exists beyond what its method inherently does.
 */
public interface DiscoveryRule extends Ordered {

    /**
     * What discovery knows.
     *
     * @param email    the normalised address typed
     * @param user     the user with that address, if any
     * @param platform the {@code X-Platform} header ({@code web}, {@code desktop}), or null
     * @param request  the HTTP request (client address, headers)
     */
    record Request(String email, Optional<User> user, boolean hasPassword, @Nullable String platform,
                   HttpRequest<?> request) {
    }

    Optional<Discovery> decide(Request request);
}
