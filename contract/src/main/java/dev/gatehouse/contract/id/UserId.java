package dev.gatehouse.contract.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Objects;
import java.util.regex.Pattern;

/** A user identifier: 1 to 64 characters of {@code [A-Za-z0-9_-]} (Gatehouse mints {@code usr_...}). */
@Serdeable
public record UserId(String value) {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @JsonCreator
    public UserId {
        Objects.requireNonNull(value, "user id");
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("user id must be 1-64 characters of [A-Za-z0-9_-]");
        }
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
