package dev.gatehouse.gateway.edge;

import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.server.HttpServerConfiguration;

import java.util.List;
import java.util.Map;

/**
 * Refuses oversized requests before anything else looks at them: a request target longer than
 * {@code max-url-length} (414), headers larger than {@code max-header-bytes} (431), a declared body larger than
 * {@code micronaut.server.max-request-size} (413). Netty's own decoder limits are set above these (application.yml), so
 * that a client gets the documented problem+json rather than a dropped connection.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestLimitsFilter implements Ordered {
    private final int maxUrlLength;
    private final int maxHeaderBytes;
    private final long maxBodyBytes;

    public RequestLimitsFilter(EdgeConfig config, HttpServerConfiguration server) {
        this.maxUrlLength = config.maxUrlLength();
        this.maxHeaderBytes = config.maxHeaderBytes();
        this.maxBodyBytes = server.getMaxRequestSize();
    }

    @RequestFilter
    public void check(HttpRequest<?> request) {
        String rawPath = request.getUri().getRawPath();
        String rawQuery = request.getUri().getRawQuery();
        int urlLength = (rawPath == null ? 0 : rawPath.length()) + (rawQuery == null ? 0 : rawQuery.length() + 1);
        if (urlLength > maxUrlLength) {
            throw new ProblemException(ProblemType.URI_TOO_LONG,
                    "The request URL exceeds " + maxUrlLength + " characters");
        }
        long headerBytes = 0;
        for (Map.Entry<String, List<String>> header : request.getHeaders()) {
            for (String value : header.getValue()) {
                headerBytes += header.getKey().length() + value.length() + 4;
            }
        }
        if (headerBytes > maxHeaderBytes) {
            throw new ProblemException(ProblemType.REQUEST_HEADERS_TOO_LARGE,
                    "The request headers exceed " + maxHeaderBytes + " bytes");
        }
        if (request.getContentLength() > maxBodyBytes) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                    "The request body exceeds " + maxBodyBytes + " bytes");
        }
    }

    @Override
    public int getOrder() {
        // right after the request id is assigned, before routing, authentication and rate limits
        return ServerFilterPhase.FIRST.order();
    }
}
