package dev.gatehouse.identity.pages;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The pages' stylesheets: one static sheet, and per organization a tiny sheet of CSS custom properties (its
 * colours), so that theming needs no inline style under the content security policy.
 */
@Hidden
@Controller("/login")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AssetsController {
    private static final MediaType CSS = MediaType.of("text/css;charset=utf-8");
    private final byte[] stylesheet;
    private final Themes themes;

    public AssetsController(Themes themes) {
        this.themes = themes;
        try (InputStream in = AssetsController.class.getResourceAsStream("/pages/pages.css")) {
            if (in == null) {
                throw new IllegalStateException("pages/pages.css is missing from the classpath");
            }
            this.stylesheet = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get("/assets/pages.css")
    public HttpResponse<byte[]> stylesheet() {
        return HttpResponse.ok(stylesheet).contentType(CSS).header(HttpHeaders.CACHE_CONTROL, "public, max-age=3600");
    }

    @Get("/theme/{key}.css")
    public HttpResponse<byte[]> theme(@PathVariable String key) {
        Theme theme = themes.resolve(key);
        return HttpResponse.ok(theme.css().getBytes(StandardCharsets.UTF_8)).contentType(CSS)
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=60");
    }
}
