package dev.gatehouse.gateway.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.contract.token.JwksSource;
import dev.gatehouse.contract.token.TokenVerifier;
import dev.gatehouse.contract.token.Verification;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@link TokenVerifier} per accepted (issuer, audience): Gatehouse's issuer with each of its audiences, and each
 * trusted external issuer with its audience. A token's unverified {@code iss} and {@code aud} only choose the
 * verifier; the chosen verifier checks everything (signature first).
 */
@Singleton
public class Verifiers {
    /** A verifier and what it stands for. */
    public record Entry(String issuer, String audience, TokenVerifier verifier, TrustedIssuerConfig trusted) {
        /** Whether this is an external issuer (its org ids are external ids). */
        public boolean external() {
            return trusted != null;
        }
    }

    /** The outcome of {@link #verify}. */
    public sealed interface Result {
    }

    /** The verifier's own outcome. */
    public record Verified(Entry entry, Verification verification) implements Result {
    }

    /** Not a token of any trusted issuer and audience. */
    public record Untrusted(String reason) implements Result {
    }

    private final Map<String, List<Entry>> byIssuer = new LinkedHashMap<>();
    /**
     * The verifier each recently seen token chose: the choice depends only on the token's text, and parsing it (JSON
     * through Nimbus) cost as much as the rest of a cached verification. Bounded; the verifier still checks each use.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Entry> chosen =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CHOSEN_MAX = TokenVerifier.DEFAULT_VERIFIED_CACHE_SIZE;

    public Verifiers(AuthConfig config, List<TrustedIssuerConfig> trusted, HttpClient http, Clock clock) {
        if (config.issuer() != null && !config.issuer().isBlank()) {
            URI jwks = config.jwksUri() != null ? config.jwksUri()
                    : URI.create(config.issuer().replaceAll("/+$", "") + "/.well-known/jwks.json");
            JwksSource source = JwksSource.http(jwks, TokenVerifier.DEFAULT_HTTP_TIMEOUT, http);
            for (String audience : config.audiences()) {
                add(new Entry(config.issuer(), audience, TokenVerifier.builder().issuer(config.issuer())
                        .audience(audience).jwkSource(source).algorithms("RS256", "ES256").clock(clock).build(),
                        null));
            }
        }
        for (TrustedIssuerConfig t : trusted) {
            var builder = TokenVerifier.builder().issuer(t.issuer()).audience(t.audience())
                    .jwkSource(JwksSource.http(t.jwksUri(), TokenVerifier.DEFAULT_HTTP_TIMEOUT, http))
                    .acceptedTypes("at+jwt", "JWT").acceptMissingType(true).clock(clock);
            if (t.algorithms() != null && !t.algorithms().isEmpty()) {
                builder.algorithms(t.algorithms().toArray(String[]::new));
            }
            add(new Entry(t.issuer(), t.audience(), builder.build(), t));
        }
    }

    /**
     * Fetches every issuer's JWKS once, off the event loop, so that the first requests do not wait for (or block a
     * Netty thread on) the fetch: a well-formed token with an unknown kid makes each verifier load its key set.
     */
    @io.micronaut.runtime.event.annotation.EventListener
    void prefetch(io.micronaut.runtime.server.event.ServerStartupEvent ignored) {
        byIssuer.values().stream().flatMap(List::stream).forEach(entry -> Thread.ofVirtual().name("jwks-prefetch")
                .start(() -> entry.verifier().verify(PREFETCH_TOKEN)));
    }

    private static final String PREFETCH_TOKEN = b64("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"prefetch\"}")
            + "." + b64("{}") + "." + b64("x");

    private static String b64(String text) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void add(Entry entry) {
        byIssuer.computeIfAbsent(entry.issuer(), k -> new ArrayList<>()).add(entry);
    }

    /** Whether any issuer is configured. */
    public boolean any() {
        return !byIssuer.isEmpty();
    }

    /** Verifies {@code token} with the verifier its issuer and audience choose. */
    public Result verify(String token) {
        Entry known = chosen.get(token);
        if (known != null) {
            return new Verified(known, known.verifier().verify(token));
        }
        JWTClaimsSet unverified;
        try {
            unverified = SignedJWT.parse(token).getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return new Untrusted("the token is not a signed JWT");
        }
        List<Entry> entries = Optional.ofNullable(unverified.getIssuer()).map(byIssuer::get).orElse(null);
        if (entries == null) {
            return new Untrusted("the token's issuer is not trusted");
        }
        List<String> audiences = unverified.getAudience() == null ? List.of() : unverified.getAudience();
        for (Entry entry : entries) {
            if (audiences.contains(entry.audience())) {
                Verification verification = entry.verifier().verify(token);
                if (verification instanceof dev.gatehouse.contract.token.Principal) {
                    if (chosen.size() >= CHOSEN_MAX) {
                        chosen.clear();
                    }
                    chosen.put(token, entry);
                }
                return new Verified(entry, verification);
            }
        }
        return new Untrusted("the token's audience is not accepted here");
    }
}
