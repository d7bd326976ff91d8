package dev.gatehouse.identity.pages;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.views.thymeleaf.ThymeleafViewsRenderer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders one hosted page: the template, the shared model every page's layout needs (language, title, theme, the
 * CSRF token, the error summary) and the CSRF cookie when the browser has none yet.
 */
@Singleton
public class Pages {
    private static final MediaType HTML = MediaType.of("text/html;charset=utf-8");
    private final Csrf csrf;
    private final Themes themes;
    private final PagesConfig config;
    private final ThymeleafViewsRenderer<Map<String, Object>> renderer;

    public Pages(Csrf csrf, Themes themes, PagesConfig config,
                 ThymeleafViewsRenderer<Map<String, Object>> renderer) {
        this.csrf = csrf;
        this.themes = themes;
        this.config = config;
        this.renderer = renderer;
    }

    /** A field error for the page's error summary and the field itself. */
    public record FieldError(String field, String message) {
    }

    /** Starts a page. */
    public Builder page(HttpRequest<?> request, String template, String title) {
        return new Builder(request, template, title);
    }

    public final class Builder {
        private final HttpRequest<?> request;
        private final String template;
        private final Map<String, Object> model = new HashMap<>();
        private HttpStatus status = HttpStatus.OK;
        private Theme theme;
        private final List<FieldError> errors = new java.util.ArrayList<>();

        private Builder(HttpRequest<?> request, String template, String title) {
            this.request = request;
            this.template = template;
            model.put("title", title);
        }

        public Builder with(String key, @Nullable Object value) {
            model.put(key, value);
            return this;
        }

        public Builder status(HttpStatus status) {
            this.status = status;
            return this;
        }

        /** The organization (id or slug) whose theme the page wears, or null for the default. */
        public Builder organization(@Nullable String organization) {
            this.theme = themes.resolve(organization);
            return this;
        }

        public Builder error(String field, String message) {
            errors.add(new FieldError(field, message));
            if (status == HttpStatus.OK) {
                status = HttpStatus.UNPROCESSABLE_ENTITY;
            }
            return this;
        }

        public MutableHttpResponse<?> render() {
            Csrf.Binding binding = csrf.binding(request);
            Theme t = theme == null ? themes.resolve(null) : theme;
            Map<String, Object> themeModel = new HashMap<>();
            themeModel.put("key", t.key());
            themeModel.put("name", t.name());
            themeModel.put("logoUrl", t.logoUrl());
            model.put("theme", themeModel);
            model.put("productName", config.productName());
            model.put("csrfField", Csrf.FIELD);
            model.put("csrfToken", binding.token());
            model.put("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
            Map<String, String> byField = new HashMap<>();
            errors.forEach(e -> byField.putIfAbsent(e.field(), e.message()));
            model.put("fieldErrors", byField);
            model.putIfAbsent("lang", "en");
            // rendered here rather than by the views filter, so that error pages from exception handlers render too
            StringWriter html = new StringWriter();
            try {
                renderer.render(template, model, request).writeTo(html);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            MutableHttpResponse<?> response = HttpResponse.status(status).contentType(HTML).body(html.toString());
            if (binding.newCookie() != null) {
                response.cookie(binding.newCookie());
            }
            return response;
        }
    }
}
