package dev.gatehouse.identity.stack;

import dev.gatehouse.kit.app.ClockFactory;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock tests can move forward, for identity-service contexts started with {@code gatehouse.test.stack-clock=true}
 * (e.g. to let a token expire from identity-service's point of view). Only identity-service's clock moves; the rest
 * of the platform keeps real time.
 */
@Factory
@Requires(property = "gatehouse.test.stack-clock", value = "true")
public class StackClock {
    private static final AtomicReference<Duration> OFFSET = new AtomicReference<>(Duration.ZERO);

    /** Moves identity-service's time by {@code offset} from real time (Duration.ZERO to reset). */
    public static void offset(Duration offset) {
        OFFSET.set(offset);
    }

    @Singleton
    @Replaces(bean = Clock.class, factory = ClockFactory.class)
    Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.now().plus(OFFSET.get());
            }
        };
    }
}
