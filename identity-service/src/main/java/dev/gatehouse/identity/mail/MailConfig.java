package dev.gatehouse.identity.mail;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Outgoing mail (magic codes, invitations) over SMTP, under {@code gatehouse.identity.mail}.
 *
 * @param host           SMTP server
 * @param port           SMTP port (587 for STARTTLS, 465 for TLS, 25 for none)
 * @param security       {@code starttls} (required, not opportunistic), {@code tls} (implicit TLS) or {@code none}
 * @param username       SMTP user; no authentication when unset
 * @param password       SMTP password (env {@code GATEHOUSE_IDENTITY_MAIL_PASSWORD}); never logged
 * @param from           the From address, e.g. {@code Gatehouse <no-reply@example.com>}
 * @param connectTimeout connecting to the server
 * @param timeout        each read and write on the connection
 * @param maxAttempts    deliveries tried per message before it is given up (magic codes; invitations are retried by
 *                       the event consumer until the server takes them)
 * @param retryDelay     wait after the first failed attempt; doubles after each further one
 * @param signUpUrl      the sign-up page an invitation links to; the token is appended as {@code invitation=}
 */
@Context
@ConfigurationProperties("gatehouse.identity.mail")
public record MailConfig(
        @Bindable(defaultValue = "127.0.0.1") @NotBlank String host,
        @Bindable(defaultValue = "587") @Min(1) @Max(65_535) int port,
        @Bindable(defaultValue = "STARTTLS") @NotNull Security security,
        @Nullable String username,
        @Nullable String password,
        @Bindable(defaultValue = "Gatehouse <no-reply@localhost>") @NotBlank String from,
        @Bindable(defaultValue = "10s") @NotNull Duration connectTimeout,
        @Bindable(defaultValue = "20s") @NotNull Duration timeout,
        @Bindable(defaultValue = "4") @Min(1) @Max(20) int maxAttempts,
        @Bindable(defaultValue = "2s") @NotNull Duration retryDelay,
        @Bindable(defaultValue = "http://127.0.0.1:8080/signup") @NotBlank String signUpUrl) {

    /** How the SMTP connection is protected. */
    public enum Security { NONE, STARTTLS, TLS }

    @Override
    public String toString() {
        return "MailConfig[host=" + host + ", port=" + port + ", security=" + security + ", username=" + username
                + ", password=" + (password == null ? "unset" : "***") + ", from=" + from + "]";
    }
}
