package dev.gatehouse.identity.pages;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ThemeTest {
    @ParameterizedTest
    @ValueSource(strings = {"red", "#12345", "#1234567", "#12345g", "#123;}body{x:y", "rgb(1,2,3)"})
    void onlyHexColoursReachTheStylesheet(String colour) {
        assertThat(Theme.color(colour, "#000000")).isEqualTo("#000000");
    }

    @Test
    void hexColoursAreLowerCased() {
        assertThat(Theme.color("#ABCDEF", "#000000")).isEqualTo("#abcdef");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://cdn.example.com/logo.png", "javascript:alert(1)", "//evil.example/x.png",
            "data:image/png;base64,AAAA", "https://user@cdn.example.com/x.png", "/\\evil"})
    void unsafeLogosAreDropped(String logo) {
        assertThat(new Theme("org_1", "Org", logo, "#000000", "#ffffff").logoUrl()).isNull();
    }

    @Test
    void httpsLogosAndLocalPathsAreKept() {
        assertThat(new Theme("org_1", "Org", "https://cdn.example.com/l.png", "#000000", "#ffffff").logoUrl())
                .isEqualTo("https://cdn.example.com/l.png");
        assertThat(new Theme("org_1", "Org", "/static/l.png", "#000000", "#ffffff").logoUrl())
                .isEqualTo("/static/l.png");
    }

    @Test
    void theStylesheetCarriesOnlyTheTwoColours() {
        assertThat(new Theme("org_1", "Org", null, "#112233", "#445566").css())
                .isEqualTo(":root{--gh-primary:#112233;--gh-accent:#445566;}\n");
    }
}
