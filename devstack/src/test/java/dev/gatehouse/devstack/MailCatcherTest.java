package dev.gatehouse.devstack;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The dev mail catcher over real SMTP and HTTP. */
class MailCatcherTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void send(int port, String to, String subject, String text, String html) throws Exception {
        var props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(port));
        var message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress("no-reply@gatehouse.test"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        var textPart = new MimeBodyPart();
        textPart.setText(text, "UTF-8", "plain");
        var htmlPart = new MimeBodyPart();
        htmlPart.setText(html, "UTF-8", "html");
        message.setContent(new MimeMultipart("alternative", textPart, htmlPart));
        Transport.send(message);
    }

    @Test
    void mailsSentOverSmtpAreListedShownAndServedAsJson() throws Exception {
        try (var catcher = MailCatcher.start(Ports.freePort(), Ports.freePort())) {
            var empty = get(catcher.webUrl() + "/");
            assertThat(empty.statusCode()).isEqualTo(200);
            assertThat(empty.body()).contains("No mail yet");

            send(catcher.smtpPort(), "ada@example.com", "Your sign-in code", "code: 123456",
                    "<p>code <b>123456</b></p><script>alert(1)</script>");
            send(catcher.smtpPort(), "bob@example.com", "<i>Invite</i>", "join", "<p>join</p>");

            var list = get(catcher.webUrl() + "/");
            assertThat(list.body()).contains("ada@example.com").contains("Your sign-in code")
                    .contains("&lt;i&gt;Invite&lt;/i&gt;").doesNotContain("<i>Invite</i>")
                    .containsSubsequence("/mail/2", "/mail/1");
            assertThat(list.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                    assertThat(csp).contains("default-src 'none'"));

            var one = get(catcher.webUrl() + "/mail/1");
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(one.body()).contains("<pre>code: 123456</pre>")
                    .contains("<iframe sandbox").contains("&lt;script&gt;").doesNotContain("<script>");

            var json = get(catcher.webUrl() + "/api/messages");
            assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
            assertThat(json.body()).startsWith("[{\"id\":1,").contains("\"to\":\"ada@example.com\"")
                    .contains("\"text\":\"code: 123456\"").contains("\\u003cscript>");

            assertThat(get(catcher.webUrl() + "/mail/3").statusCode()).isEqualTo(404);
            assertThat(get(catcher.webUrl() + "/mail/x").statusCode()).isEqualTo(404);
            assertThat(catcher.messages()).hasSize(2);
        }
    }
}
