/**
 * The token contract every Gatehouse service, the gateway and customers' Java services share.
 *
 * <p>Access tokens are JWTs (RFC 7519) in the JWT profile for OAuth 2.0 access tokens (RFC 9068): a JWS
 * (RFC 7515) compact serialization with {@code typ} {@value Claims#ACCESS_TOKEN_TYPE}, signed by session-service with
 * a key published in its JWK Set (RFC 7517). {@link dev.gatehouse.contract.token.TokenVerifier} checks one following
 * the JWT Best Current Practices (RFC 8725) and answers a sealed {@link dev.gatehouse.contract.token.Verification}:
 * a {@link dev.gatehouse.contract.token.Principal} or a {@link dev.gatehouse.contract.token.Rejection}.
 *
 * <p>This package depends on nimbus-jose-jwt and the JDK only (no Micronaut), so that a customer's plain Java service
 * can use it.
 */
package dev.gatehouse.contract.token;
