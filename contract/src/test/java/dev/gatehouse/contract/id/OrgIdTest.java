package dev.gatehouse.contract.id;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrgIdTest {
    @ParameterizedTest
    @ValueSource(strings = {"org_01m835db0hb4dn16z20bj3tbja", "org_01HXYZ", "a", "Acme-Corp_2"})
    void acceptsIdsOfGatehouseAndExternalIssuers(String value) {
        assertThat(new OrgId(value).value()).isEqualTo(value);
        assertThat(OrgId.parseOrNull(value)).isEqualTo(new OrgId(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "org/1", "org 1", "../etc", "org_ü", "org_1\n"})
    void rejectsEverythingElse(String value) {
        assertThatThrownBy(() -> new OrgId(value)).isInstanceOf(IllegalArgumentException.class);
        assertThat(OrgId.parseOrNull(value)).isNull();
    }

    @org.junit.jupiter.api.Test
    void atMost64Characters() {
        assertThat(OrgId.parseOrNull("x".repeat(64))).isNotNull();
        assertThat(OrgId.parseOrNull("x".repeat(65))).isNull();
    }

    @org.junit.jupiter.api.Test
    void nullIsNotAnId() {
        assertThatThrownBy(() -> new OrgId(null)).isInstanceOf(NullPointerException.class);
        assertThat(OrgId.parseOrNull(null)).isNull();
    }
}
