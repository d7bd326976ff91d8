package dev.gatehouse.session.client;

/**
 * RFC 6749 §2.1 client types. A confidential client authenticates with its secret (client_secret_basic or
 * client_secret_post); a public client (desktop, mobile, CLI, SPA) cannot keep one and must use PKCE.
 */
public enum ClientType {
    CONFIDENTIAL, PUBLIC;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
