package dev.gatehouse.identity.pages;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.identity.stack.IdentityStack;
import dev.gatehouse.identity.stack.StackHttp;
import dev.gatehouse.identity.user.NewUser;
import dev.gatehouse.identity.user.PasswordHasher;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hosted pages in real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}), against the
 * real platform and a real SMTP server (GreenMail). identity-service listens on 127.0.0.1:8080, the issuer of
 * session-service's test configuration, so session-service's authorization endpoint and device flow send the
 * browser to identity-service's /login and /device exactly as they do behind gateway-edge.
 */
class HostedPagesBrowserTest {
    static final int PORT = 8080;
    static GreenMail mail;
    static IdentityStack stack;
    static WebDriver browser;
    static HttpServer app;
    static volatile CompletableFuture<URI> callback = new CompletableFuture<>();
    static PageFlows.Client webApp;

    @BeforeAll
    static void up() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", PORT));
        } catch (IOException e) {
            throw new IllegalStateException("port " + PORT + " (session-service's test issuer) is taken: stop "
                    + "whatever listens there (./gatehouse dev?) to run the browser tests", e);
        }
        int smtp = freePort();
        mail = new GreenMail(new ServerSetup(smtp, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        // the client app's redirect URI: a loopback HTTP server that records the callback
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/callback", exchange -> {
            callback.complete(exchange.getRequestURI());
            byte[] body = "<!DOCTYPE html><title>App</title><p id=app>Back in the app".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        String clientId = "browser-app-" + UUID.randomUUID().toString().substring(0, 8);
        IdentityStack.platform().registerClient(Map.of("clientId", clientId, "type", "public",
                "displayName", "Browser App",
                "redirectUris", List.of("http://127.0.0.1:" + app.getAddress().getPort() + "/callback"),
                "grantTypes", List.of("authorization_code"), "scopes", List.of("openid", "profile", "email")));
        webApp = new PageFlows.Client(clientId, "http://127.0.0.1:" + app.getAddress().getPort() + "/callback",
                "Browser App");
        stack = IdentityStack.start(Map.of("micronaut.server.port", PORT, "gatehouse.identity.platform.timeout-millis", 20_000,
                "gatehouse.identity.mail.host", "127.0.0.1", "gatehouse.identity.mail.port", smtp,
                "gatehouse.identity.mail.security", "none",
                "gatehouse.identity.pages.first-party-clients", clientId));

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=412,915");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
        if (app != null) {
            app.stop(0);
        }
        if (mail != null) {
            mail.stop();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static WebElement await(By by) {
        try {
            return new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.elementToBeClickable(by));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no " + by + " at " + browser.getCurrentUrl() + " with cookies "
                    + browser.manage().getCookies() + ":\n" + browser.getPageSource(), e);
        }
    }

    private static String title() {
        return browser.findElement(By.tagName("h1")).getText();
    }

    /** The 6-digit code of the newest mail to {@code email}. */
    private static String magicCode(String email, int expectedMails) throws Exception {
        assertThat(mail.waitForIncomingEmail(20_000, expectedMails)).as("a mail arrived").isTrue();
        MimeMessage newest = null;
        for (MimeMessage message : mail.getReceivedMessages()) {
            if (message.getAllRecipients()[0].toString().contains(email)) {
                newest = message;
            }
        }
        assertThat(newest).as("mail to %s", email).isNotNull();
        Matcher m = Pattern.compile("\\b(\\d{6})\\b").matcher(GreenMailUtil.getBody(newest));
        assertThat(m.find()).as("a code in the mail").isTrue();
        return m.group(1);
    }

    /** Each test starts signed out: cookies are per host, so one test's sign-in would skip the next one's pages. */
    @org.junit.jupiter.api.BeforeEach
    void signedOut() {
        browser.get("http://127.0.0.1:" + PORT + "/assets/pages.css");
        browser.manage().deleteAllCookies();
    }

    @Test
    void authorizationRequestHostedSignInMagicCodeOrganizationPickerSignedIn() throws Exception {
        String email = "chromium-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        User user = stack.bean(UserDirectory.class).create(new NewUser(email, true, "Chromium User", null, null,
                "test"));
        var platform = stack.platformServices();
        String first = platform.createOrganization(IdentityStack.Platform.uniqueSlug("cr-a"), "Chromium Alpha");
        String second = platform.createOrganization(IdentityStack.Platform.uniqueSlug("cr-b"), "Chromium Beta");
        platform.putMember(first, user.id(), "viewer");
        platform.putMember(second, user.id(), "admin");
        callback = new CompletableFuture<>();
        var pkce = PageFlows.Pkce.create();

        // the app sends the browser to the authorization endpoint; session-service parks it and sends it to /login
        browser.get(platform.sessionUrl() + webApp.authorizeQuery(pkce, "browser-state"));
        await(By.id("email"));
        assertThat(browser.getCurrentUrl()).startsWith("http://127.0.0.1:" + PORT + "/login?login_challenge=");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        assertThat(browser.findElement(By.cssSelector("label[for=email]")).getText()).isEqualTo("Email address");
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("email");
        assertThat(browser.getPageSource()).contains("Browser App");

        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        await(By.xpath("//button[contains(., 'Email me a sign-in code')]")).click();

        await(By.id("code"));
        assertThat(title()).isEqualTo("Check your email");
        // a wrong code first: the error summary takes the focus and names the field
        browser.findElement(By.id("code")).sendKeys("000000".equals(magicCode(email, 1)) ? "111111" : "000000");
        browser.findElement(By.xpath("//button[.='Sign in']")).click();
        await(By.cssSelector(".error-summary a[href='#code']"));
        assertThat(browser.switchTo().activeElement().getAttribute("class")).contains("error-summary");
        browser.findElement(By.id("code")).sendKeys(magicCode(email, 1));
        browser.findElement(By.xpath("//button[.='Sign in']")).click();

        await(By.cssSelector("button[name=organization_id][value='" + second + "']"));
        assertThat(title()).isEqualTo("Choose an organization");
        assertThat(browser.getPageSource()).contains("Chromium Alpha");
        browser.findElement(By.cssSelector("button[name=organization_id][value='" + second + "']")).click();

        // the continue page hands the browser to the app's registered redirect URI with the code
        URI landed = callback.get(20, TimeUnit.SECONDS);
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("/callback"));
        assertThat(browser.findElement(By.id("app")).getText()).isEqualTo("Back in the app");
        Map<String, String> params = PageFlows.query(landed);
        assertThat(params).containsEntry("state", "browser-state").containsKey("code");
        StackHttp.Reply tokens = PageFlows.redeem(stack, webApp, params.get("code"), pkce);
        assertThat(tokens.status()).as("%s", tokens).isEqualTo(200);
        var claims = PageFlows.claims(tokens.json().path("access_token").asText());
        assertThat(claims.path("sub").asText()).isEqualTo(user.id());
        assertThat(claims.path("org_id").asText()).isEqualTo(second);
        assertThat(PageFlows.claims(tokens.json().path("id_token").asText()).path("email").asText()).isEqualTo(email);
    }

    @Test
    void deviceFlowStartedOverHttpApprovedOnTheDevicePage() throws Exception {
        String email = "device-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        User user = stack.bean(UserDirectory.class).create(new NewUser(email, true, "Device User", null,
                stack.bean(PasswordHasher.class).hash("device flow password"), "test"));
        var device = PageFlows.Client.register(stack, "Flux Terminal", "http://127.0.0.1/unused",
                List.of("device_code", "refresh_token"));
        StackHttp session = new StackHttp(stack.platformServices().sessionUrl());
        var started = session.request("POST", "/oauth2/device_authorization",
                PageFlows.form(Map.of("client_id", device.clientId(), "scope", "openid email offline_access")),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(started.status()).as("%s", started).isEqualTo(200);
        String userCode = started.json().path("user_code").asText();
        String complete = started.json().path("verification_uri_complete").asText();
        assertThat(complete).startsWith("http://127.0.0.1:" + PORT + "/device?user_code=");

        browser.manage().deleteAllCookies();
        browser.get(complete);
        // not signed in: the sign-in page first, then back to the device page
        await(By.id("email")).sendKeys(email);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        await(By.id("password")).sendKeys("device flow password");
        browser.findElement(By.xpath("//button[.='Sign in']")).click();

        await(By.id("user_code"));
        assertThat(browser.getCurrentUrl()).startsWith("http://127.0.0.1:" + PORT + "/device");
        assertThat(browser.findElement(By.id("user_code")).getAttribute("value")).isEqualTo(userCode);
        browser.findElement(By.xpath("//button[.='Continue']")).click();

        await(By.id("approve"));
        assertThat(browser.findElement(By.id("client-name")).getText()).isEqualTo("Flux Terminal");
        assertThat(browser.getPageSource()).contains(userCode);
        assertThat(pollError(session, device, started)).isEqualTo("authorization_pending");
        browser.findElement(By.id("approve")).click();
        assertThat(await(By.id("outcome")).getText()).isEqualTo("Your device is now signed in.");

        Thread.sleep(started.json().path("interval").asLong(5) * 1000 + 200);
        var tokens = poll(session, device, started);
        assertThat(tokens.status()).as("%s", tokens).isEqualTo(200);
        assertThat(tokens.json().path("refresh_token").asText()).isNotEmpty();
        assertThat(PageFlows.claims(tokens.json().path("access_token").asText()).path("sub").asText())
                .isEqualTo(user.id());
    }

    private static StackHttp.Reply poll(StackHttp session, PageFlows.Client client, StackHttp.Reply started) {
        return session.request("POST", "/oauth2/token", PageFlows.form(Map.of(
                        "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                        "device_code", started.json().path("device_code").asText(), "client_id", client.clientId())),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
    }

    private static String pollError(StackHttp session, PageFlows.Client client, StackHttp.Reply started) {
        return poll(session, client, started).json().path("error").asText();
    }
}
