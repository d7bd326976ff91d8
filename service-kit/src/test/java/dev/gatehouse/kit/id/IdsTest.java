package dev.gatehouse.kit.id;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdsTest {
    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void idsArePrefixedAnd26CharactersOfCrockfordBase32() {
        String id = Ids.next("org", at("2026-11-23T00:00:00Z"));
        assertThat(id).matches("org_[0-9a-hjkmnp-tv-z]{26}");
    }

    @Test
    void idsSortByCreationTime() {
        String earlier = Ids.next("org", at("2026-11-23T00:00:00Z"));
        String later = Ids.next("org", at("2026-11-23T00:00:00.001Z"));
        assertThat(earlier.compareTo(later)).isNegative();
    }

    @Test
    void idsMintedInTheSameMillisecondDiffer() {
        Clock clock = at("2026-11-23T00:00:00Z");
        var seen = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(Ids.next("usr", clock))).isTrue();
        }
    }

    @Test
    void prefixesAreShortLowercaseWords() {
        assertThatThrownBy(() -> Ids.next("Org", Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ids.next("o", Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ids.next("org_", Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
    }
}
