package dev.gatehouse.contract.token;

import java.util.Objects;

/**
 * The token is valid but its principal does not hold the permission the operation requires (seed 002:
 * {@code PrincipalLacksPermission { required }}). Retrying will not help without a change at the identity provider.
 *
 * @param required the permission name, e.g. {@code audit_tail.read}
 */
public record PrincipalLacksPermission(String required) implements Rejection {
    /** The wire kind. */
    public static final String KIND = "PrincipalLacksPermission";

    public PrincipalLacksPermission {
        Objects.requireNonNull(required, "required");
    }

    @Override
    public String kind() {
        return KIND;
    }
}
