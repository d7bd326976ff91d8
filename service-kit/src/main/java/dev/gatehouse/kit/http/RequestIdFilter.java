package dev.gatehouse.kit.http;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is well-formed (the gateway's, for internal
 * hops), otherwise a fresh one. The id is in the MDC (so in every JSON log line of the request), in problem bodies,
 * and echoed on the response.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestIdFilter implements Ordered {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final String ATTRIBUTE = "gatehouse.request-id";
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{8,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    @RequestFilter
    public void assignId(MutableHttpRequest<?> request, MutablePropagatedContext propagated) {
        String offered = request.getHeaders().get(HEADER);
        String id = offered != null && ACCEPTED.matcher(offered).matches() ? offered : newId();
        request.setAttribute(ATTRIBUTE, id);
        request.getHeaders().set(HEADER, id);
        propagated.add(new MdcPropagationContext(Map.of(MDC_KEY, id)));
    }

    @ResponseFilter
    public void echoId(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.getHeaders().set(HEADER, requestId(request));
    }

    /** The id of {@code request}, or a fresh one if the filter did not run (e.g. a request rejected by Netty). */
    public static String requestId(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, String.class).orElseGet(() -> {
            String id = newId();
            request.setAttribute(ATTRIBUTE, id);
            return id;
        });
    }

    private static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.before();
    }
}
