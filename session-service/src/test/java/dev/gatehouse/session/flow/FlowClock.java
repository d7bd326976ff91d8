package dev.gatehouse.session.flow;

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
 * A frozen clock the lifetime tests move by hand; replaces the service's clock when {@value #ENABLED} is true (a
 * property of its own, so it never meets the key tests' clock in one context).
 */
final class FlowClock extends Clock {
    static final String ENABLED = "gatehouse.test.flow-clock";
    private final AtomicReference<Instant> now;

    FlowClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    void advance(Duration duration) {
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
        FlowClock clock() {
            return new FlowClock(Instant.now());
        }
    }
}
