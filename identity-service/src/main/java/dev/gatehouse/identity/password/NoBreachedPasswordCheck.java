package dev.gatehouse.identity.password;

import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

/** The default hook: no breach corpus configured. */
@Singleton
@Secondary
public class NoBreachedPasswordCheck implements BreachedPasswordCheck {
    @Override
    public boolean isBreached(String password) {
        return false;
    }
}
