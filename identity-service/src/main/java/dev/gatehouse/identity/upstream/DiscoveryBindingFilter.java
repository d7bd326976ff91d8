package dev.gatehouse.identity.upstream;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Adds the browser-binding cookie to a discovery answer that started an SSO sign-in ({@link SsoDiscoveryRule}). */
@ServerFilter("/auth/sign-in")
public class DiscoveryBindingFilter {
    private final BindingCookie binding;

    public DiscoveryBindingFilter(BindingCookie binding) {
        this.binding = binding;
    }

    @ResponseFilter
    public void addBindingCookie(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(BindingCookie.ATTRIBUTE, String.class)
                .ifPresent(value -> response.cookie(binding.cookie(value)));
    }
}
