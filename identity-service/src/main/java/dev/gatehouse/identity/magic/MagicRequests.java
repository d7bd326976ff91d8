package dev.gatehouse.identity.magic;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** Request bodies of seed 004's magic-code operations (checked by hand, so errors name the field). */
final class MagicRequests {
    private MagicRequests() {
    }

    @Serdeable
    record Resend(@Nullable String email) {
    }

    @Serdeable
    record Finalize(@Nullable String email, @Nullable String code) {
        /** Never print the code. */
        @Override
        public String toString() {
            return "Finalize[email=" + email + "]";
        }
    }
}
