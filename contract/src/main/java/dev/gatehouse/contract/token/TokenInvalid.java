package dev.gatehouse.contract.token;

import java.util.Objects;

/**
 * The token is not acceptable and will never be: unparseable, badly signed, of the wrong issuer, audience or type,
 * not yet valid, or missing a required claim. Do not retry with the same token.
 *
 * @param reason why, for logs only: never sent to the client, never contains the token or a value taken from it
 */
public record TokenInvalid(String reason) implements Rejection {
    /** The wire kind. */
    public static final String KIND = "TokenInvalid";

    public TokenInvalid {
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
