package dev.gatehouse.session;

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

/** A clock tests move by hand; replaces the service's clock when {@value #ENABLED} is true. */
public final class MutableClock extends Clock {
    public static final String ENABLED = "gatehouse.test.mutable-clock";
    private final AtomicReference<Instant> now;

    MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    public void advance(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    @Factory
    @Requires(property = ENABLED, value = "true")
    static class Beans {
        @Singleton
        @Replaces(bean = Clock.class, factory = ClockFactory.class)
        MutableClock clock() {
            return new MutableClock(Instant.now());
        }
    }
}
