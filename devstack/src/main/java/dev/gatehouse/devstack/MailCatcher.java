package dev.gatehouse.devstack;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The dev platform's mail catcher: a real SMTP server (GreenMail, any sender and recipient accepted, no
 * authentication) that keeps every mail in memory, and a small web page listing them, so a person running
 * {@code ./gatehouse dev} can read the magic codes and invitations identity-service sends. {@code GET /} lists the
 * mails (newest first), {@code GET /mail/<n>} shows one, {@code GET /api/messages} answers them as JSON (for scripts and
 * browser tests). Loopback only; nothing is written to disk.
 */
public final class MailCatcher implements AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** One received mail. {@code id} counts from 1 in arrival order. */
    public record Mail(int id, Instant received, String from, String to, String subject, String text, String html) {
    }

    private final GreenMail greenMail;
    private final HttpServer http;

    private MailCatcher(GreenMail greenMail, HttpServer http) {
        this.greenMail = greenMail;
        this.http = http;
    }

    /** Starts SMTP on {@code smtpPort} and the page on {@code webPort}, both on 127.0.0.1. */
    public static MailCatcher start(int smtpPort, int webPort) throws IOException {
        var greenMail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", webPort), 16);
        } catch (IOException e) {
            greenMail.stop();
            throw e;
        }
        var catcher = new MailCatcher(greenMail, http);
        http.createContext("/", catcher::handle);
        http.start();
        return catcher;
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    public String webUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** Every mail received so far, oldest first. */
    public List<Mail> messages() {
        MimeMessage[] received = greenMail.getReceivedMessages();
        List<Mail> mails = new ArrayList<>(received.length);
        for (int i = 0; i < received.length; i++) {
            mails.add(toMail(i + 1, received[i]));
        }
        return mails;
    }

    @Override
    public void close() {
        http.stop(0);
        greenMail.stop();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain", "GET only");
            } else if (path.equals("/")) {
                send(exchange, 200, "text/html", listPage(messages()));
            } else if (path.equals("/api/messages")) {
                send(exchange, 200, "application/json", json(messages()));
            } else if (path.startsWith("/mail/")) {
                List<Mail> mails = messages();
                int id;
                try {
                    id = Integer.parseInt(path.substring("/mail/".length()));
                } catch (NumberFormatException e) {
                    id = -1;
                }
                if (id < 1 || id > mails.size()) {
                    send(exchange, 404, "text/plain", "no such mail");
                } else {
                    send(exchange, 200, "text/html", mailPage(mails.get(id - 1)));
                }
            } else {
                send(exchange, 404, "text/plain", "not found");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        // the mails' own HTML is shown in a sandboxed iframe; the page itself runs no script
        exchange.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self' data:");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String listPage(List<Mail> mails) {
        var rows = new StringBuilder();
        for (int i = mails.size() - 1; i >= 0; i--) {
            Mail m = mails.get(i);
            rows.append("<tr><td>").append(m.id()).append("</td><td>").append(html(TIME.format(m.received())))
                    .append("</td><td>").append(html(m.to())).append("</td><td><a href=\"/mail/").append(m.id())
                    .append("\">").append(html(m.subject().isEmpty() ? "(no subject)" : m.subject()))
                    .append("</a></td></tr>\n");
        }
        String body = mails.isEmpty()
                ? "<p>No mail yet. Ask for a magic code or send an invitation; it shows up here (reload).</p>"
                : "<table><thead><tr><th>#</th><th>received</th><th>to</th><th>subject</th></tr></thead><tbody>\n"
                + rows + "</tbody></table>";
        return page("Gatehouse dev mail (" + mails.size() + ")", body);
    }

    private static String mailPage(Mail m) {
        String body = "<p><a href=\"/\">&larr; all mail</a></p>"
                + "<dl><dt>From</dt><dd>" + html(m.from()) + "</dd><dt>To</dt><dd>" + html(m.to())
                + "</dd><dt>Subject</dt><dd>" + html(m.subject()) + "</dd><dt>Received</dt><dd>"
                + html(TIME.format(m.received())) + "</dd></dl>"
                + "<h2>Text</h2><pre>" + html(m.text()) + "</pre>"
                + (m.html().isEmpty() ? "" : "<h2>HTML</h2><iframe sandbox title=\"HTML body\" srcdoc=\""
                + html(m.html()) + "\"></iframe>");
        return page(m.subject(), body);
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + html(title)
                + "</title><style>body{font-family:system-ui,sans-serif;margin:24px;color:#1f2328}"
                + "table{border-collapse:collapse}td,th{text-align:left;padding:4px 12px;border-bottom:1px solid #ddd}"
                + "pre{background:#f6f8fa;padding:12px;white-space:pre-wrap}iframe{width:100%;height:480px;"
                + "border:1px solid #ddd}dt{font-weight:600}</style></head><body><h1>" + html(title) + "</h1>"
                + body + "</body></html>";
    }

    private static String json(List<Mail> mails) {
        return mails.stream().map(m -> "{\"id\":" + m.id() + ",\"received\":" + jsonString(m.received().toString())
                        + ",\"from\":" + jsonString(m.from()) + ",\"to\":" + jsonString(m.to()) + ",\"subject\":"
                        + jsonString(m.subject()) + ",\"text\":" + jsonString(m.text()) + ",\"html\":"
                        + jsonString(m.html()) + "}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    static String jsonString(String s) {
        var sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<' -> sb.append("\\u003c");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    static String html(String s) {
        var sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Mail toMail(int id, MimeMessage message) {
        try {
            var bodies = new String[]{"", ""};
            collect(message, bodies);
            Instant received = message.getReceivedDate() != null ? message.getReceivedDate().toInstant()
                    : message.getSentDate() != null ? message.getSentDate().toInstant() : Instant.EPOCH;
            return new Mail(id, received, addresses(message.getFrom()), addresses(message.getAllRecipients()),
                    message.getSubject() == null ? "" : message.getSubject(), bodies[0], bodies[1]);
        } catch (MessagingException | IOException e) {
            return new Mail(id, Instant.EPOCH, "", "", "(unreadable: " + e.getMessage() + ")", "", "");
        }
    }

    private static void collect(Part part, String[] bodies) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                collect(child, bodies);
            }
        } else if (part.isMimeType("text/plain") && bodies[0].isEmpty()) {
            bodies[0] = asString(content);
        } else if (part.isMimeType("text/html") && bodies[1].isEmpty()) {
            bodies[1] = asString(content);
        }
    }

    private static String asString(Object content) throws IOException {
        if (content instanceof String s) {
            return s;
        }
        if (content instanceof InputStream in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return String.valueOf(content);
    }

    private static String addresses(Address[] addresses) {
        return addresses == null ? "" : Arrays.stream(addresses).map(Address::toString).collect(Collectors.joining(", "));
    }
}
