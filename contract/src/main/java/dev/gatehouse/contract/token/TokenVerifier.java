package dev.gatehouse.contract.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.gatehouse.contract.id.OrgId;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Verifies Gatehouse access tokens (and those of a trusted external issuer such as WorkOS): a JWS compact
 * serialization (RFC 7515 §7.1) carrying JWT claims (RFC 7519), checked as RFC 8725 and RFC 9068 §4 ask.
 *
 * <pre>{@code
 * TokenVerifier verifier = TokenVerifier.builder()
 *         .issuer("https://auth.example.com")
 *         .audience("https://api.example.com")
 *         .jwksUri(URI.create("https://auth.example.com/.well-known/jwks.json"))
 *         .build();
 * switch (verifier.verify(token)) {
 *     case Principal p -> ...;
 *     case TokenExpired e -> ...;
 *     case Rejection r -> ...;
 * }
 * }</pre>
 *
 * <p>{@link #verify(String)} never throws for bad input, is thread-safe and takes no lock while the cached keys are
 * fresh. Build one verifier per issuer and audience and share it.
 *
 * <h2>Rules, in order</h2>
 * <ol>
 *   <li>The token is at most {@value #MAX_TOKEN_LENGTH} characters of base64url in three parts: a JWE (five parts)
 *       or an unsigned token (empty signature) is {@link TokenInvalid}.</li>
 *   <li>Header: {@code alg} must be one of the configured algorithms (never {@code none} nor an HMAC algorithm: the
 *       builder refuses them); {@code crit} is refused, as no extension is understood (RFC 7515 §4.1.11);
 *       {@code typ} must be an accepted type, compared case-insensitively with or without {@code application/}
 *       (RFC 8725 §3.11). {@code jku}, {@code x5u}, {@code jwk} and {@code x5c} are ignored: keys come only from the
 *       configured JWK Set, never from the token.</li>
 *   <li>Key: the JWK Set key whose {@code kid} matches, whose type and curve fit {@code alg} and whose own
 *       {@code alg}, if any, equals it; keys with {@code use} other than {@code sig}, RSA keys under 2048 bits and
 *       keys for algorithms not configured are never used. A token without {@code kid} is accepted only while the
 *       set holds exactly one usable key. An unknown kid triggers a refetch of the set at most once per
 *       {@code minRefetchInterval}; still unknown afterwards, the token is {@link TokenInvalid}.</li>
 *   <li>Signature. Nothing about the claims is reported before it verifies.</li>
 *   <li>Claims: {@code iss} equals the issuer exactly; {@code aud} (string or array) contains the audience;
 *       {@code sub} is a non-blank string; {@code org_id}, when present or required, is an organization id;
 *       {@code permissions} is an array of strings if present; {@code scope} a string; {@code sid},
 *       {@code client_id}, {@code jti} non-empty strings and {@code platform_admin} a boolean if present;
 *       {@code exp} is required; {@code nbf} and {@code iat} may not be later than now plus the leeway.</li>
 *   <li>Last, {@code exp}: past it by more than the leeway, the token is {@link TokenExpired}. So TokenExpired
 *       always means "refresh and it will work".</li>
 * </ol>
 */
public final class TokenVerifier {
    /** Longest token accepted, in characters (16 KiB). */
    public static final int MAX_TOKEN_LENGTH = 16 * 1024;
    /** The only algorithms a verifier can be configured with: RSA and ECDSA signatures (RFC 7518 §3.1). */
    public static final Set<JWSAlgorithm> SUPPORTED_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    /** Default algorithms: RS256, what session-service and WorkOS sign with. */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.RS256);
    /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat} (RFC 7519 §4.1.4: "a small leeway"). */
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);
    /** The largest leeway a verifier accepts. */
    public static final Duration MAX_LEEWAY = Duration.ofMinutes(5);
    /** At most one JWKS fetch starts per this interval. */
    public static final Duration DEFAULT_MIN_REFETCH_INTERVAL = Duration.ofSeconds(30);
    /** Fetched keys are refetched by the first verification after this age. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(10);
    /** While fetches fail, the last good keys serve until this age. */
    public static final Duration DEFAULT_MAX_STALE_AGE = Duration.ofHours(24);
    /** Deadline of one JWKS fetch over HTTP, body included. */
    public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(5);

    /** NumericDate upper bound: 9999-12-31T23:59:59Z. */
    private static final long MAX_NUMERIC_DATE = 253_402_300_799L;

    private static final TokenInvalid NO_TOKEN = new TokenInvalid("no token");
    private static final TokenInvalid TOO_LONG = new TokenInvalid("token longer than " + MAX_TOKEN_LENGTH + " characters");
    private static final TokenInvalid NOT_COMPACT = new TokenInvalid("not a compact JWS");
    private static final TokenInvalid ENCRYPTED = new TokenInvalid("encrypted tokens (JWE) are not accepted");
    private static final TokenInvalid UNSIGNED = new TokenInvalid("unsigned token");
    private static final TokenInvalid BAD_HEADER = new TokenInvalid("header is not a JSON object");
    private static final TokenInvalid ALG_NOT_ALLOWED = new TokenInvalid("alg missing or not allowed");
    private static final TokenInvalid CRIT = new TokenInvalid("critical header parameters are not supported");
    private static final TokenInvalid MISSING_TYPE = new TokenInvalid("typ missing");
    private static final TokenInvalid WRONG_TYPE = new TokenInvalid("typ not accepted");
    private static final TokenInvalid BAD_KID = new TokenInvalid("kid is not a string");
    private static final TokenInvalid NO_KEYS = new TokenInvalid("no verification keys available");
    private static final TokenInvalid UNKNOWN_KID = new TokenInvalid("no key for kid");
    private static final TokenInvalid KID_REQUIRED = new TokenInvalid("kid missing and the key set has several keys");
    private static final TokenInvalid KEY_ALG_MISMATCH = new TokenInvalid("alg does not fit the key");
    private static final TokenInvalid BAD_SIGNATURE = new TokenInvalid("signature does not verify");
    private static final TokenInvalid BAD_CLAIMS = new TokenInvalid("claims are not a JSON object");
    private static final TokenInvalid WRONG_ISSUER = new TokenInvalid("iss missing or not the expected issuer");
    private static final TokenInvalid BAD_AUDIENCE = new TokenInvalid("aud missing or malformed");
    private static final TokenInvalid WRONG_AUDIENCE = new TokenInvalid("aud does not contain the expected audience");
    private static final TokenInvalid BAD_SUBJECT = new TokenInvalid("sub missing or blank");
    private static final TokenInvalid MISSING_ORGANIZATION = new TokenInvalid("org_id missing");
    private static final TokenInvalid BAD_ORGANIZATION = new TokenInvalid("org_id is not an organization id");
    private static final TokenInvalid BAD_PERMISSIONS = new TokenInvalid("permissions is not an array of strings");
    private static final TokenInvalid BAD_SCOPE = new TokenInvalid("scope is not a string");
    private static final TokenInvalid BAD_SESSION = new TokenInvalid("sid is not a non-empty string");
    private static final TokenInvalid BAD_CLIENT = new TokenInvalid("client_id is not a non-empty string");
    private static final TokenInvalid BAD_TOKEN_ID = new TokenInvalid("jti is not a non-empty string");
    private static final TokenInvalid BAD_PLATFORM_ADMIN = new TokenInvalid("platform_admin is not a boolean");
    private static final TokenInvalid MISSING_EXP = new TokenInvalid("exp missing or not a NumericDate");
    private static final TokenInvalid BAD_NBF = new TokenInvalid("nbf is not a NumericDate");
    private static final TokenInvalid BAD_IAT = new TokenInvalid("iat is not a NumericDate");
    private static final TokenInvalid NOT_YET_VALID = new TokenInvalid("nbf is in the future");
    private static final TokenInvalid ISSUED_IN_FUTURE = new TokenInvalid("iat is in the future");

    private final String issuer;
    private final String audience;
    private final Map<String, JWSAlgorithm> algorithms;
    private final Map<JWSAlgorithm, JWSHeader> verifierHeaders;
    private final long leewayMillis;
    private final Set<String> acceptedTypes;
    private final boolean acceptMissingType;
    private final boolean requireOrganization;
    private final Clock clock;
    private final JwksCache keys;
    /**
     * Tokens whose signature verified, by their exact text: a bearer presents the same token on every request until it
     * expires, and its signature is the costly part (an RSA or ECDSA verification, most of a gateway's CPU per
     * request). A hit skips only the signature, and only while the key set is the very one that verified it and
     * still selects the same key; the claims (exp, nbf, iat and the rest) are checked again against the clock.
     */
    private final ConcurrentHashMap<String, SignatureVerified> verified = new ConcurrentHashMap<>();
    private final int verifiedCacheSize;

    /** The parts of a verified token a cache hit needs. */
    private record SignatureVerified(KeySet keySet, KeySet.Key key, String kid, JWSAlgorithm alg,
                                     Map<String, Object> claims, long untilMillis) {
    }

    /** How long a verified signature is remembered at most (the claims are still checked on every use). */
    static final long VERIFIED_TTL_MILLIS = Duration.ofMinutes(5).toMillis();
    /** Default number of verified tokens remembered per verifier; 0 turns the cache off. */
    public static final int DEFAULT_VERIFIED_CACHE_SIZE = 10_000;

    private TokenVerifier(Builder b, JwksSource source) {
        this.issuer = b.issuer;
        this.audience = b.audience;
        var byName = new HashMap<String, JWSAlgorithm>();
        var headers = new HashMap<JWSAlgorithm, JWSHeader>();
        for (JWSAlgorithm alg : b.algorithms) {
            byName.put(alg.getName(), alg);
            headers.put(alg, new JWSHeader(alg));
        }
        this.algorithms = Map.copyOf(byName);
        this.verifierHeaders = Map.copyOf(headers);
        this.leewayMillis = b.leeway.toMillis();
        this.acceptedTypes = Set.copyOf(b.acceptedTypes);
        this.acceptMissingType = b.acceptMissingType;
        this.requireOrganization = b.requireOrganization;
        this.clock = b.clock;
        this.verifiedCacheSize = b.verifiedCacheSize;
        this.keys = new JwksCache(source, Set.copyOf(b.algorithms), b.cacheTtl.toMillis(),
                b.minRefetchInterval.toMillis(), b.maxStaleAge.toMillis());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies {@code token} (the compact JWS, without the {@code Bearer } prefix) and answers who it speaks for, or
     * why it is not accepted. Never throws for bad input: null, blank, garbage, JWE, unsigned and oversized tokens
     * are {@link TokenInvalid}. May block on a JWKS fetch (bounded by the HTTP timeout) when the keys are due or the
     * kid is unknown; otherwise it takes no lock.
     */
    public Verification verify(String token) {
        try {
            return check(token);
        } catch (RuntimeException e) {
            return new TokenInvalid("unverifiable token (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Verification check(String token) {
        if (token == null || token.isEmpty()) {
            return NO_TOKEN;
        }
        int length = token.length();
        if (length > MAX_TOKEN_LENGTH) {
            return TOO_LONG;
        }
        SignatureVerified hit = verifiedCacheSize > 0 ? verified.get(token) : null;
        if (hit != null) {
            long now = clock.millis();
            if (now < hit.untilMillis() && keys.current(now) == hit.keySet()
                    && select(hit.keySet(), hit.kid(), hit.alg(), now) == hit.key()) {
                return principal(hit.claims(), now);
            }
            verified.remove(token, hit);
        }
        int firstDot = -1;
        int secondDot = -1;
        int dots = 0;
        for (int i = 0; i < length; i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (++dots == 1) {
                    firstDot = i;
                } else if (dots == 2) {
                    secondDot = i;
                }
            } else if (!isBase64Url(c)) {
                return NOT_COMPACT;
            }
        }
        if (dots == 4) {
            return ENCRYPTED;
        }
        if (dots != 2 || firstDot == 0) {
            return NOT_COMPACT;
        }
        if (secondDot == length - 1) {
            return UNSIGNED;
        }

        Map<String, Object> header = json(token, 0, firstDot);
        if (header == null) {
            return BAD_HEADER;
        }
        JWSAlgorithm alg = header.get("alg") instanceof String name ? algorithms.get(name) : null;
        if (alg == null) {
            return ALG_NOT_ALLOWED;
        }
        if (header.containsKey("crit")) {
            return CRIT;
        }
        Object typ = header.get("typ");
        if (typ == null) {
            if (!acceptMissingType) {
                return MISSING_TYPE;
            }
        } else if (!(typ instanceof String type) || !acceptedTypes.contains(normalizeType(type))) {
            return WRONG_TYPE;
        }
        Object kidValue = header.get("kid");
        if (kidValue != null && !(kidValue instanceof String)) {
            return BAD_KID;
        }
        String kid = (String) kidValue;

        long now = clock.millis();
        KeySet keySet = keys.current(now);
        Object selected = select(keySet, kid, alg, now);
        if (selected == null) {
            keySet = keys.afterUnknownKey(keySet, now);
            selected = select(keySet, kid, alg, now);
            if (selected == null) {
                return kid == null ? NO_KEYS : UNKNOWN_KID;
            }
        }
        if (selected instanceof TokenInvalid rejection) {
            return rejection;
        }
        if (!signatureVerifies((KeySet.Key) selected, alg, token, secondDot)) {
            return BAD_SIGNATURE;
        }

        Map<String, Object> claims = json(token, firstDot + 1, secondDot);
        if (claims == null) {
            return BAD_CLAIMS;
        }
        Verification result = principal(claims, now);
        if (verifiedCacheSize > 0 && result instanceof Principal) {
            if (verified.size() >= verifiedCacheSize) {
                // crude but bounded: a flood of distinct tokens costs their verification again, never the heap
                verified.clear();
            }
            verified.put(token, new SignatureVerified(keySet, (KeySet.Key) selected, kid, alg,
                    Collections.unmodifiableMap(claims), now + VERIFIED_TTL_MILLIS));
        }
        return result;
    }

    /**
     * The key to verify with, a {@link TokenInvalid} when no key may be used, or null when the set is empty or lacks
     * the kid (worth a refetch).
     */
    private Object select(KeySet keySet, String kid, JWSAlgorithm alg, long now) {
        if (now >= keySet.staleAt) {
            return null;
        }
        List<KeySet.Key> candidates;
        if (kid == null) {
            candidates = keySet.all();
            if (candidates.isEmpty()) {
                return null;
            }
            if (candidates.size() > 1) {
                return KID_REQUIRED;
            }
        } else {
            candidates = keySet.withKid(kid);
            if (candidates == null) {
                return null;
            }
        }
        for (KeySet.Key key : candidates) {
            if (key.algorithms().contains(alg)) {
                return key;
            }
        }
        return KEY_ALG_MISMATCH;
    }

    private boolean signatureVerifies(KeySet.Key key, JWSAlgorithm alg, String token, int secondDot) {
        byte[] signingInput = token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII);
        try {
            return key.verifier().verify(verifierHeaders.get(alg), signingInput,
                    new Base64URL(token.substring(secondDot + 1)));
        } catch (JOSEException e) {
            return false;
        }
    }

    private Verification principal(Map<String, Object> claims, long now) {
        if (!issuer.equals(claims.get(Claims.ISSUER))) {
            return WRONG_ISSUER;
        }
        Set<String> audiences = strings(claims.get(Claims.AUDIENCE), true);
        if (audiences == null || audiences.isEmpty()) {
            return BAD_AUDIENCE;
        }
        if (!audiences.contains(audience)) {
            return WRONG_AUDIENCE;
        }
        if (!(claims.get(Claims.SUBJECT) instanceof String subject) || subject.isBlank()) {
            return BAD_SUBJECT;
        }
        Object org = claims.get(Claims.ORGANIZATION_ID);
        if (org == null && requireOrganization) {
            return MISSING_ORGANIZATION;
        }
        if (org != null && !(org instanceof String id && OrgId.parseOrNull(id) != null)) {
            return BAD_ORGANIZATION;
        }
        Set<String> permissions = strings(claims.get(Claims.PERMISSIONS), false);
        if (permissions == null) {
            return BAD_PERMISSIONS;
        }
        Object scope = claims.get(Claims.SCOPE);
        if (scope != null && !(scope instanceof String)) {
            return BAD_SCOPE;
        }
        Object sessionId = claims.get(Claims.SESSION_ID);
        if (!isOptionalString(sessionId)) {
            return BAD_SESSION;
        }
        Object clientId = claims.get(Claims.CLIENT_ID);
        if (!isOptionalString(clientId)) {
            return BAD_CLIENT;
        }
        Object tokenId = claims.get(Claims.TOKEN_ID);
        if (!isOptionalString(tokenId)) {
            return BAD_TOKEN_ID;
        }
        Object platformAdmin = claims.get(Claims.PLATFORM_ADMIN);
        if (platformAdmin != null && !(platformAdmin instanceof Boolean)) {
            return BAD_PLATFORM_ADMIN;
        }

        long expiresAt = epochMillis(claims.get(Claims.EXPIRES_AT));
        if (expiresAt == Long.MIN_VALUE) {
            return MISSING_EXP;
        }
        Object nbf = claims.get(Claims.NOT_BEFORE);
        if (nbf != null) {
            long notBefore = epochMillis(nbf);
            if (notBefore == Long.MIN_VALUE) {
                return BAD_NBF;
            }
            if (notBefore > now + leewayMillis) {
                return NOT_YET_VALID;
            }
        }
        Object iat = claims.get(Claims.ISSUED_AT);
        if (iat != null) {
            long issuedAt = epochMillis(iat);
            if (issuedAt == Long.MIN_VALUE) {
                return BAD_IAT;
            }
            if (issuedAt > now + leewayMillis) {
                return ISSUED_IN_FUTURE;
            }
        }
        Instant expiry = Instant.ofEpochMilli(expiresAt);
        if (now >= expiresAt + leewayMillis) {
            return new TokenExpired(expiry);
        }

        return new Principal(issuer, subject, Optional.ofNullable((String) org), permissions,
                Optional.ofNullable((String) sessionId), Optional.ofNullable((String) clientId),
                scope == null ? Set.of() : scopes((String) scope), audiences, expiry,
                Optional.ofNullable((String) tokenId), Boolean.TRUE.equals(platformAdmin), claims);
    }

    /** The base64url part {@code [from, to)} of the token as a JSON object, or null. */
    private static Map<String, Object> json(String token, int from, int to) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(token.substring(from, to));
            return JSONObjectUtils.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | ParseException e) {
            return null;
        }
    }

    /**
     * An array of strings (or, when {@code singleAllowed}, a lone string) as a set; empty when absent, null when
     * malformed.
     */
    private static Set<String> strings(Object value, boolean singleAllowed) {
        if (value == null) {
            return Set.of();
        }
        if (value instanceof String single) {
            return singleAllowed ? Set.of(single) : null;
        }
        if (!(value instanceof List<?> list)) {
            return null;
        }
        String[] items = new String[list.size()];
        for (int i = 0; i < items.length; i++) {
            if (!(list.get(i) instanceof String item)) {
                return null;
            }
            items[i] = item;
        }
        return Set.copyOf(Arrays.asList(items));
    }

    private static Set<String> scopes(String scope) {
        var result = new LinkedHashSet<String>();
        for (String token : scope.split(" ")) {
            if (!token.isEmpty()) {
                result.add(token);
            }
        }
        return result;
    }

    private static boolean isOptionalString(Object value) {
        return value == null || (value instanceof String s && !s.isEmpty());
    }

    /** A NumericDate (seconds, possibly fractional) in epoch millis, or {@link Long#MIN_VALUE} when it is none. */
    private static long epochMillis(Object value) {
        if (value instanceof Long seconds) {
            return seconds >= 0 && seconds <= MAX_NUMERIC_DATE ? seconds * 1000 : Long.MIN_VALUE;
        }
        if (value instanceof Double seconds) {
            return seconds >= 0 && seconds <= MAX_NUMERIC_DATE ? (long) Math.floor(seconds * 1000) : Long.MIN_VALUE;
        }
        return Long.MIN_VALUE;
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /** A media type as RFC 7515 §4.1.9 compares it: case-insensitive, {@code application/} optional. */
    static String normalizeType(String type) {
        String lower = type.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("application/") ? lower.substring("application/".length()) : lower;
    }

    @Override
    public String toString() {
        return "TokenVerifier[issuer=" + issuer + ", audience=" + audience + ", algorithms=" + algorithms.keySet()
                + "]";
    }

    /** Configures a {@link TokenVerifier}; each setter checks its value and names the option when it refuses it. */
    public static final class Builder {
        private String issuer;
        private String audience;
        private URI jwksUri;
        private JwksSource jwkSource;
        private Set<JWSAlgorithm> algorithms = DEFAULT_ALGORITHMS;
        private Duration leeway = DEFAULT_LEEWAY;
        private Set<String> acceptedTypes = Set.of(Claims.ACCESS_TOKEN_TYPE);
        private boolean acceptMissingType;
        private boolean requireOrganization;
        private Duration minRefetchInterval = DEFAULT_MIN_REFETCH_INTERVAL;
        private Duration cacheTtl = DEFAULT_CACHE_TTL;
        private Duration maxStaleAge = DEFAULT_MAX_STALE_AGE;
        private Clock clock = Clock.systemUTC();
        private Duration httpTimeout = DEFAULT_HTTP_TIMEOUT;
        private int verifiedCacheSize = DEFAULT_VERIFIED_CACHE_SIZE;

        private Builder() {
        }

        /** Required. The expected {@code iss}, compared exactly (a trailing slash matters). */
        public Builder issuer(String issuer) {
            this.issuer = requireText(issuer, "issuer");
            return this;
        }

        /** Required. A value the token's {@code aud} must contain. */
        public Builder audience(String audience) {
            this.audience = requireText(audience, "audience");
            return this;
        }

        /** The issuer's JWK Set URL, fetched with {@link JwksSource#http} and {@link #httpTimeout}. This or {@link #jwkSource}. */
        public Builder jwksUri(URI jwksUri) {
            this.jwksUri = HttpJwksSource.requireHttpUrl(jwksUri);
            return this;
        }

        /** Where the keys come from, when not from {@link #jwksUri}. */
        public Builder jwkSource(JwksSource jwkSource) {
            this.jwkSource = Objects.requireNonNull(jwkSource, "jwkSource");
            return this;
        }

        /**
         * The accepted {@code alg} values (default RS256), from {@link #SUPPORTED_ALGORITHMS}: {@code none} and the
         * HMAC algorithms are refused, since verifying with a public key as an HMAC secret is the classic forgery.
         */
        public Builder algorithms(Set<JWSAlgorithm> algorithms) {
            Objects.requireNonNull(algorithms, "algorithms");
            if (algorithms.isEmpty()) {
                throw new IllegalArgumentException("algorithms must not be empty");
            }
            var refused = algorithms.stream().filter(a -> a == null || !SUPPORTED_ALGORITHMS.contains(a))
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            if (!refused.isEmpty()) {
                throw new IllegalArgumentException("algorithms: " + refused + " not allowed; choose from "
                        + SUPPORTED_ALGORITHMS.stream().map(JWSAlgorithm::getName).sorted().toList());
            }
            this.algorithms = Set.copyOf(algorithms);
            return this;
        }

        /** {@link #algorithms(Set)} by name, e.g. {@code "RS256", "ES256"}. */
        public Builder algorithms(String... names) {
            Objects.requireNonNull(names, "algorithms");
            var parsed = new LinkedHashSet<JWSAlgorithm>();
            for (String name : names) {
                parsed.add(JWSAlgorithm.parse(Objects.requireNonNull(name, "algorithm name")));
            }
            return algorithms(parsed);
        }

        /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}: default 30 s, at most 5 min. */
        public Builder leeway(Duration leeway) {
            Objects.requireNonNull(leeway, "leeway");
            if (leeway.isNegative() || leeway.compareTo(MAX_LEEWAY) > 0) {
                throw new IllegalArgumentException("leeway must be between 0 and " + MAX_LEEWAY + ": " + leeway);
            }
            this.leeway = leeway;
            return this;
        }

        /**
         * The accepted {@code typ} header values, default {@code at+jwt}; compared case-insensitively, with or
         * without {@code application/}.
         */
        public Builder acceptedTypes(String... types) {
            Objects.requireNonNull(types, "acceptedTypes");
            var normalized = new LinkedHashSet<String>();
            for (String type : types) {
                normalized.add(normalizeType(requireText(type, "acceptedTypes")));
            }
            this.acceptedTypes = normalized;
            return this;
        }

        /**
         * Whether a token without {@code typ} is accepted (default false). Only for external issuers that do not
         * type their access tokens (WorkOS); Gatehouse's always carry {@code at+jwt}.
         */
        public Builder acceptMissingType(boolean acceptMissingType) {
            this.acceptMissingType = acceptMissingType;
            return this;
        }

        /** Whether {@code org_id} is required (default false: {@code client_credentials} tokens have none). */
        public Builder requireOrganization(boolean requireOrganization) {
            this.requireOrganization = requireOrganization;
            return this;
        }

        /** JWKS fetches start at most once per this interval, whatever triggers them (default 30 s). */
        public Builder minRefetchInterval(Duration minRefetchInterval) {
            this.minRefetchInterval = requirePositive(minRefetchInterval, "minRefetchInterval");
            return this;
        }

        /** How long fetched keys are used before the next verification refetches them (default 10 min). */
        public Builder cacheTtl(Duration cacheTtl) {
            this.cacheTtl = requirePositive(cacheTtl, "cacheTtl");
            return this;
        }

        /** How long the last good keys keep being used while refetches fail (default 24 h, at least cacheTtl). */
        public Builder maxStaleAge(Duration maxStaleAge) {
            this.maxStaleAge = requirePositive(maxStaleAge, "maxStaleAge");
            return this;
        }

        /** The clock for {@code exp}, {@code nbf}, {@code iat} and the key cache (default system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Deadline of one JWKS fetch from {@link #jwksUri}, body included (default 5 s). */
        public Builder httpTimeout(Duration httpTimeout) {
            this.httpTimeout = requirePositive(httpTimeout, "httpTimeout");
            return this;
        }

        /**
         * How many verified tokens to remember so that their signatures are not verified again on every use (default
         * {@value TokenVerifier#DEFAULT_VERIFIED_CACHE_SIZE}; 0 turns the cache off). Claims are checked on every use.
         */
        public Builder verifiedCacheSize(int verifiedCacheSize) {
            if (verifiedCacheSize < 0) {
                throw new IllegalArgumentException("verifiedCacheSize must not be negative");
            }
            this.verifiedCacheSize = verifiedCacheSize;
            return this;
        }

        /** @throws IllegalStateException naming the option that is missing or inconsistent */
        public TokenVerifier build() {
            if (issuer == null) {
                throw new IllegalStateException("issuer is required");
            }
            if (audience == null) {
                throw new IllegalStateException("audience is required");
            }
            if ((jwksUri == null) == (jwkSource == null)) {
                throw new IllegalStateException("exactly one of jwksUri and jwkSource is required");
            }
            if (acceptedTypes.isEmpty() && !acceptMissingType) {
                throw new IllegalStateException("acceptedTypes is empty and acceptMissingType is false: nothing passes");
            }
            if (maxStaleAge.compareTo(cacheTtl) < 0) {
                throw new IllegalStateException("maxStaleAge must be at least cacheTtl");
            }
            JwksSource source = jwkSource != null ? jwkSource : JwksSource.http(jwksUri, httpTimeout,
                    HttpClient.newBuilder().connectTimeout(httpTimeout).followRedirects(HttpClient.Redirect.NEVER)
                            .build());
            return new TokenVerifier(this, source);
        }

        private static String requireText(String value, String option) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(option + " must not be blank");
            }
            return value;
        }

        private static Duration requirePositive(Duration value, String option) {
            Objects.requireNonNull(value, option);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(option + " must be positive: " + value);
            }
            return value;
        }
    }
}
