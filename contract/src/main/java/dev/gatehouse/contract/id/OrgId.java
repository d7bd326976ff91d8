package dev.gatehouse.contract.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An organization (tenant) identifier. Gatehouse mints {@code org_} followed by 26 lowercase base32 characters,
 * but ids provisioned from trusted external issuers (seed 002: a WorkOS {@code org_id}) keep their own form, so the
 * rule is only: 1 to 64 characters of {@code [A-Za-z0-9_-]}.
 */
@Serdeable
public record OrgId(String value) {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @JsonCreator
    public OrgId {
        Objects.requireNonNull(value, "organization id");
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("organization id must be 1-64 characters of [A-Za-z0-9_-]");
        }
    }

    /** Parses {@code value}, or returns null when it is not an organization id. */
    public static OrgId parseOrNull(String value) {
        return value != null && SHAPE.matcher(value).matches() ? new OrgId(value) : null;
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
