package dev.gatehouse.contract.token;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6750 §2.1: {@code Bearer 1*SP b64token}, restricted here to exactly one space. */
class BearerTokensTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Bearer eyJ.eyJ.sig|eyJ.eyJ.sig",
            "bearer abc|abc",
            "BEARER a-b_c.d~e+f/g==|a-b_c.d~e+f/g=="})
    void theTokenFollowsTheSchemeAndOneSpace(String header, String token) {
        assertThat(BearerTokens.extract(header)).contains(token);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer  abc", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Bearerabc",
            "Bearer abc def", "Bearer abc\t", "Bearer =abc", "Bearer ab=c", "Bearer a,b", "Bearer é", " Bearer abc"})
    void anythingElseHasNoToken(String header) {
        assertThat(BearerTokens.extract(header)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void anOversizedTokenIsNotExtracted() {
        assertThat(BearerTokens.extract("Bearer " + "a".repeat(TokenVerifier.MAX_TOKEN_LENGTH))).isPresent();
        assertThat(BearerTokens.extract("Bearer " + "a".repeat(TokenVerifier.MAX_TOKEN_LENGTH + 1))).isEmpty();
    }
}
