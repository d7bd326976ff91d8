package dev.gatehouse.identity.mail;

import jakarta.inject.Singleton;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders the mails from Thymeleaf templates under {@code mail/} on the classpath, each as HTML
 * ({@code <name>.html}) and plain text ({@code <name>.txt}). Values are escaped by Thymeleaf ({@code th:text}).
 */
@Singleton
public class MailTemplates {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final TemplateEngine engine = new TemplateEngine();
    private final MailConfig config;

    public MailTemplates(MailConfig config) {
        this.config = config;
        engine.addTemplateResolver(resolver(TemplateMode.HTML, "*.html", 1));
        engine.addTemplateResolver(resolver(TemplateMode.TEXT, "*.txt", 2));
    }

    private static ClassLoaderTemplateResolver resolver(TemplateMode mode, String pattern, int order) {
        var resolver = new ClassLoaderTemplateResolver(MailTemplates.class.getClassLoader());
        resolver.setPrefix("mail/");
        resolver.setTemplateMode(mode);
        resolver.setResolvablePatterns(Set.of(pattern));
        resolver.setCharacterEncoding(StandardCharsets.UTF_8.name());
        resolver.setCacheable(true);
        resolver.setCheckExistence(true);
        resolver.setOrder(order);
        return resolver;
    }

    /** The mail carrying a sign-in code. */
    public MailMessage magicCode(String to, String code, Duration validity) {
        Map<String, Object> values = Map.of("code", code, "minutes", Math.max(1, validity.toMinutes()), "email", to);
        return render("magic-code", to, "Your sign-in code", values);
    }

    /** The mail inviting {@code to} into an organization, linking to the sign-up page with the token. */
    public MailMessage invitation(String to, String organizationName, String role, String token, Instant expiresAt) {
        String separator = config.signUpUrl().contains("?") ? "&" : "?";
        String link = config.signUpUrl() + separator + "invitation=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        String organization = organizationName == null || organizationName.isBlank() ? "an organization" : organizationName;
        Map<String, Object> values = Map.of("organization", organization, "role", role == null ? "member" : role,
                "link", link, "expires", DATE.format(expiresAt), "email", to);
        return render("invitation", to, "You are invited to join " + organization, values);
    }

    private MailMessage render(String name, String to, String subject, Map<String, Object> values) {
        var context = new Context(Locale.ENGLISH, values);
        return new MailMessage(name, to, subject, engine.process(name + ".html", context),
                engine.process(name + ".txt", context));
    }
}
