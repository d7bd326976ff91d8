package dev.gatehouse.session.device;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/** Failures of all users together are limited too (a guesser with many accounts), across replicas. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Property(name = "gatehouse.session.device.global-failures", value = "5")
class DeviceGlobalLimitTest extends DeviceServerTest {
    @Inject
    StatefulRedisConnection<String, String> redis;

    @BeforeAll
    @AfterAll
    void resetTheSharedCounter() {
        redis.sync().del(DeviceRateLimiter.GLOBAL_KEY);
    }

    @Test
    void failuresOfManyUsersTogetherHitTheGlobalLimit() throws Exception {
        String serviceToken = serviceToken(internalService());
        String valid = (String) startFlow(deviceClient(), null).get("user_code");
        for (int i = 0; i < 5; i++) {
            assertProblem(lookup(serviceToken, unknownUserCode(), unique("usr")), 404, "not-found");
        }
        var limited = lookup(serviceToken, valid, unique("usr"));
        assertProblem(limited, 429, "too-many-requests");
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        assertProblem(deny(serviceToken, valid), 429, "too-many-requests");
    }
}
