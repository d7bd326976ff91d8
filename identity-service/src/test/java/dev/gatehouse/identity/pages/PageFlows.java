package dev.gatehouse.identity.pages;

import dev.gatehouse.identity.stack.IdentityStack;
import dev.gatehouse.identity.stack.StackHttp;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What the page tests share: forms, hidden fields, PKCE, an OAuth client and its authorization request. */
final class PageFlows {
    private PageFlows() {
    }

    static String form(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((k, v) -> {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(enc(k)).append('=').append(enc(v));
        });
        return out.toString();
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static StackHttp.Reply post(StackHttp browser, String path, Map<String, String> fields) {
        return browser.request("POST", path, form(fields),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
    }

    /** The value of the hidden input {@code name} of a page. */
    static String hidden(StackHttp.Reply page, String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(page.body());
        assertThat(m.find()).as("hidden field %s in %s", name, page.body()).isTrue();
        return m.group(1).replace("&amp;", "&");
    }

    /** The form fields of the page's first form with this action, plus {@code extra}. */
    static Map<String, String> fields(StackHttp.Reply page, Map<String, String> extra) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(Csrf.FIELD, hidden(page, Csrf.FIELD));
        for (String name : List.of("login_challenge", "org", "return_to", "email", "pending", "consent")) {
            Matcher m = Pattern.compile("type=\"hidden\" name=\"" + name + "\" value=\"([^\"]*)\"").matcher(page.body());
            if (m.find()) {
                fields.put(name, m.group(1).replace("&amp;", "&"));
            }
        }
        fields.putAll(extra);
        return fields;
    }

    /** The meta-refresh target of a "continue" page. */
    static URI refreshTarget(StackHttp.Reply page) {
        Matcher m = Pattern.compile("http-equiv=\"refresh\" content=\"0;url=([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).as("meta refresh in %s", page.body()).isTrue();
        return URI.create(m.group(1).replace("&amp;", "&"));
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return out;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** A PKCE pair: verifier and S256 challenge. */
    record Pkce(String verifier, String challenge) {
        static Pkce create() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A public client of an app that signs users in through the hosted pages. */
    record Client(String clientId, String redirectUri, String displayName) {
        static Client register(IdentityStack stack, String displayName, String redirectUri, List<String> grants) {
            String id = "pages-" + UUID.randomUUID().toString().substring(0, 8);
            stack.platformServices().registerClient(Map.of("clientId", id, "type", "public",
                    "displayName", displayName, "redirectUris", List.of(redirectUri),
                    "grantTypes", grants, "scopes", List.of("openid", "profile", "email", "offline_access")));
            return new Client(id, redirectUri, displayName);
        }

        /** The authorization request's query. */
        String authorizeQuery(Pkce pkce, String state) {
            return "/oauth2/authorize?" + form(new LinkedHashMap<>(Map.of("response_type", "code",
                    "client_id", clientId, "redirect_uri", redirectUri, "scope", "openid email profile",
                    "state", state, "nonce", "n-" + state, "code_challenge", pkce.challenge(),
                    "code_challenge_method", "S256")));
        }
    }

    /** Sends the authorization request to session-service; the answer is the login challenge it parked. */
    static String loginChallenge(IdentityStack stack, Client client, Pkce pkce, String state) {
        var reply = new StackHttp(stack.platformServices().sessionUrl()).get(client.authorizeQuery(pkce, state));
        assertThat(reply.status()).as("authorize: %s", reply).isEqualTo(302);
        URI login = URI.create(reply.header("Location").orElseThrow());
        assertThat(login.getPath()).isEqualTo("/login");
        return query(login).get("login_challenge");
    }

    /** Redeems a code at the token endpoint. */
    static StackHttp.Reply redeem(IdentityStack stack, Client client, String code, Pkce pkce) {
        return new StackHttp(stack.platformServices().sessionUrl()).request("POST", "/oauth2/token",
                form(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", client.redirectUri(),
                        "client_id", client.clientId(), "code_verifier", pkce.verifier())),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
    }

    /** The JSON claims of a JWT (no verification: session-service's own tests verify signatures). */
    static com.fasterxml.jackson.databind.JsonNode claims(String jwt) throws Exception {
        String payload = jwt.split("\\.")[1];
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Base64.getUrlDecoder().decode(payload));
    }
}
