package dev.gatehouse.identity.upstream;

/** The outcome of redeeming an authorization code at a provider. */
public sealed interface ExchangeResult {

    record Success(UpstreamIdentity identity, UpstreamTokens tokens) implements ExchangeResult {
    }

    /** @param detail safe to log and to show (never a token or a secret) */
    record Failure(Reason reason, String detail) implements ExchangeResult {
    }

    enum Reason {
        /** The token endpoint refused the code: unknown, expired, replayed, or the PKCE verifier does not match. */
        CODE_REJECTED,
        /** The ID token's or the authorization response's issuer is not the provider's. */
        ISSUER_MISMATCH,
        /** The ID token does not carry the nonce of this sign-in. */
        NONCE_MISMATCH,
        /** The ID token is not valid: signature, audience, expiry, algorithm. */
        INVALID_ID_TOKEN,
        /** The provider gave no e-mail address for the user. */
        NO_EMAIL,
        /** The provider could not be reached or answered something unreadable. */
        PROVIDER_UNAVAILABLE
    }
}
