package dev.gatehouse.identity.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** Request bodies of seed 004's operations owned here (validated by hand, so errors name the field). */
final class AuthRequests {
    private AuthRequests() {
    }

    @Serdeable
    record SignIn(@Nullable String email) {
    }

    @Serdeable
    record PasswordSignIn(@Nullable String email, @Nullable String password) {
        @Override
        public String toString() {
            return "PasswordSignIn[email=" + email + "]";
        }
    }

    @Serdeable
    record SelectOrganization(@Nullable String pendingAuthenticationToken, @Nullable String organizationId) {
        @Override
        public String toString() {
            return "SelectOrganization[organizationId=" + organizationId + "]";
        }
    }

    @Serdeable
    record SwitchOrganization(@Nullable String organizationId) {
    }

    @Serdeable
    record DevSignIn(@Nullable String email, @Nullable String name, @Nullable String organizationId) {
    }
}
