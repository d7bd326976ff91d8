package dev.gatehouse.contract.token;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrincipalTest {
    @Test
    void requireAnswersThePrincipalOrWhichPermissionItLacks() {
        Principal principal = principal(Set.of("audit_tail.read"), Map.of());
        assertThat(principal.require("audit_tail.read")).isSameAs(principal);
        assertThat(principal.require("audit_tail.write")).isEqualTo(new PrincipalLacksPermission("audit_tail.write"))
                .extracting(v -> ((Rejection) v).kind()).isEqualTo("PrincipalLacksPermission");
        assertThat(principal.require("AUDIT_TAIL.READ")).isInstanceOf(PrincipalLacksPermission.class);
    }

    @Test
    void aRejectionStaysWhatItIsThroughRequire() {
        Verification expired = new TokenExpired(Instant.EPOCH);
        assertThat(expired.require("audit_tail.read")).isSameAs(expired);
    }

    @Test
    void kindsAreTheWireNamesOfSeed002() {
        assertThat(new TokenInvalid("x").kind()).isEqualTo("TokenInvalid");
        assertThat(new TokenExpired(Instant.EPOCH).kind()).isEqualTo("TokenExpired");
        assertThat(new PrincipalLacksPermission("p").kind()).isEqualTo("PrincipalLacksPermission");
    }

    @Test
    void collectionsAreDefensiveDeepCopies() {
        var permissions = new HashSet<>(Set.of("a"));
        var nested = new ArrayList<Object>(List.of("x"));
        var claims = new HashMap<String, Object>(Map.of("list", nested, "email", "ada@example.com"));
        Principal principal = principal(permissions, claims);
        permissions.add("b");
        nested.add("y");
        claims.put("email", "eve@example.com");

        assertThat(principal.permissions()).containsExactly("a");
        assertThat(principal.claims().get("list")).isEqualTo(List.of("x"));
        assertThat(principal.claim("email")).contains("ada@example.com");
        assertThatThrownBy(() -> principal.permissions().add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> principal.claims().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        var list = (List<Object>) principal.claims().get("list");
        assertThatThrownBy(() -> list.add("z")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toStringLeavesPersonalClaimsOut() {
        assertThat(principal(Set.of(), Map.of("email", "ada@example.com")).toString())
                .contains("usr_1").doesNotContain("ada@example.com");
    }

    @Test
    void aSubjectIsRequired() {
        assertThatThrownBy(() -> new Principal("iss", " ", Optional.empty(), Set.of(), Optional.empty(),
                Optional.empty(), Set.of(), Set.of("aud"), Instant.EPOCH, Optional.empty(), false, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Principal principal(Set<String> permissions, Map<String, Object> claims) {
        return new Principal("https://auth.gatehouse.test", "usr_1", Optional.of("org_1"), permissions,
                Optional.empty(), Optional.empty(), Set.of(), Set.of("aud"), Instant.EPOCH, Optional.empty(), false,
                claims);
    }
}
