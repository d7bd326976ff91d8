package dev.gatehouse.identity.upstream;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;

import java.io.IOException;
import java.time.Duration;

/** Calls to providers, with the configured timeouts and a bounded response size. */
final class ProviderHttp {
    static final int MAX_RESPONSE_BYTES = 512 * 1024;
    private final int timeoutMillis;

    ProviderHttp(Duration timeout) {
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    HTTPResponse send(HTTPRequest request) throws IOException {
        request.setConnectTimeout(timeoutMillis);
        request.setReadTimeout(timeoutMillis);
        request.setFollowRedirects(false);
        return request.send();
    }

    ResourceRetriever resourceRetriever() {
        return new DefaultResourceRetriever(timeoutMillis, timeoutMillis, MAX_RESPONSE_BYTES);
    }
}
