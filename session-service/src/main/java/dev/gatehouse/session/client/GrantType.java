package dev.gatehouse.session.client;

import java.util.Arrays;
import java.util.Optional;

/** The grants the token endpoint implements, by their wire names. */
public enum GrantType {
    AUTHORIZATION_CODE("authorization_code"),
    REFRESH_TOKEN("refresh_token"),
    CLIENT_CREDENTIALS("client_credentials"),
    DEVICE_CODE("urn:ietf:params:oauth:grant-type:device_code");

    private final String wireName;

    GrantType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** By wire name; the short form {@code device_code} is accepted in configuration for readability. */
    public static Optional<GrantType> fromWire(String name) {
        if ("device_code".equals(name)) {
            return Optional.of(DEVICE_CODE);
        }
        return Arrays.stream(values()).filter(g -> g.wireName.equals(name)).findFirst();
    }
}
