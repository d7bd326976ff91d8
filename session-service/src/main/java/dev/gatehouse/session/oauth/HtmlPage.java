package dev.gatehouse.session.oauth;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;

/**
 * The few plain pages session-service shows a browser itself (an invalid sign-in link, signed out): escaped text,
 * no scripts, never framed, never cached. The real sign-in pages are identity-service's.
 */
public final class HtmlPage {
    private HtmlPage() {
    }

    public static HttpResponse<String> render(HttpStatus status, String title, String heading, String... paragraphs) {
        StringBuilder body = new StringBuilder();
        for (String paragraph : paragraphs) {
            body.append("<p>").append(escape(paragraph)).append("</p>\n");
        }
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>%s</title>
                <meta name="viewport" content="width=device-width, initial-scale=1"></head>
                <body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
                <h1>%s</h1>
                %s</body></html>
                """.formatted(escape(title), escape(heading), body);
        return HttpResponse.<String>status(status).body(html)
                .contentType(MediaType.TEXT_HTML_TYPE + ";charset=utf-8")
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                .header("X-Frame-Options", "DENY");
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
