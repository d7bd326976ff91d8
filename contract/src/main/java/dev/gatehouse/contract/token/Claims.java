package dev.gatehouse.contract.token;

/**
 * Claim names of Gatehouse tokens, and the access token's {@code typ}. Producers and consumers refer to these
 * constants, never to literal names. Registered names are from RFC 7519 §4.1, {@code client_id} and {@code scope}
 * from RFC 9068 §2.2, the ID token ones from OpenID Connect Core §2 and §5.1; the rest are Gatehouse's.
 */
public final class Claims {
    /** {@code iss}: the issuer URL, compared exactly (RFC 7519 §4.1.1). */
    public static final String ISSUER = "iss";
    /** {@code sub}: the user id, or the client id of a {@code client_credentials} token (RFC 7519 §4.1.2). */
    public static final String SUBJECT = "sub";
    /** {@code aud}: a string or an array of strings that must contain the verifier's audience (RFC 7519 §4.1.3). */
    public static final String AUDIENCE = "aud";
    /** {@code exp}: expiry, NumericDate in seconds (RFC 7519 §4.1.4). Required. */
    public static final String EXPIRES_AT = "exp";
    /** {@code nbf}: not valid before, NumericDate in seconds (RFC 7519 §4.1.5). */
    public static final String NOT_BEFORE = "nbf";
    /** {@code iat}: issued at, NumericDate in seconds (RFC 7519 §4.1.6). */
    public static final String ISSUED_AT = "iat";
    /** {@code jti}: unique token id, the key of revocation denylists (RFC 7519 §4.1.7). */
    public static final String TOKEN_ID = "jti";
    /** {@code client_id}: the OAuth client the token was issued to (RFC 9068 §2.2). */
    public static final String CLIENT_ID = "client_id";
    /** {@code scope}: granted scopes, one space-separated string (RFC 9068 §2.2.3, RFC 6749 §3.3). */
    public static final String SCOPE = "scope";
    /** {@code sid}: the session the token belongs to (OpenID Connect Front-Channel Logout §3). */
    public static final String SESSION_ID = "sid";
    /** {@code org_id}: the organization (tenant) the token acts in; absent in {@code client_credentials} tokens. */
    public static final String ORGANIZATION_ID = "org_id";
    /** {@code permissions}: array of permission names the subject holds in {@code org_id}; absent means none. */
    public static final String PERMISSIONS = "permissions";
    /** {@code email} (OpenID Connect Core §5.1). */
    public static final String EMAIL = "email";
    /** {@code email_verified}, boolean (OpenID Connect Core §5.1). */
    public static final String EMAIL_VERIFIED = "email_verified";
    /** {@code name}: full display name (OpenID Connect Core §5.1). */
    public static final String NAME = "name";
    /** {@code picture_url}: the user's avatar URL. */
    public static final String PICTURE_URL = "picture_url";
    /** {@code platform_admin}: boolean, present only when true. */
    public static final String PLATFORM_ADMIN = "platform_admin";
    /** {@code auth_time}: when the user last authenticated, NumericDate (OpenID Connect Core §2). */
    public static final String AUTH_TIME = "auth_time";
    /** {@code nonce}: the authorization request's nonce, in ID tokens (OpenID Connect Core §2). */
    public static final String NONCE = "nonce";

    /**
     * The JOSE {@code typ} header of Gatehouse access tokens (RFC 9068 §2.1); short for
     * {@code application/at+jwt}. It keeps an ID token (typ {@code JWT}) from being accepted as an access token.
     */
    public static final String ACCESS_TOKEN_TYPE = "at+jwt";

    private Claims() {
    }
}
