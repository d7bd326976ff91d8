package dev.gatehouse.identity.upstream;

/**
 * Who signed in at a provider. {@code emailVerified} is true only when the provider asserts it (ID token or API);
 * only a verified address may link to an existing Gatehouse account.
 *
 * @param provider the provider's name in Gatehouse ({@code google}, {@code acme-okta}...)
 * @param issuer   the provider's issuer (for github its API base): (issuer, subject) names the account for good
 */
public record UpstreamIdentity(String provider, String issuer, String subject, String email, boolean emailVerified,
                               String name, String pictureUrl) {
}
