package dev.gatehouse.identity.upstream;

import dev.gatehouse.kit.app.InvalidConfigurationException;
import dev.gatehouse.kit.bootstrap.BootstrapDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The provider layer against a real OpenID Provider run locally (mock-oauth2-server) and a GitHub-like API. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamProviderTest {
    private MockProviders mock;
    private UpstreamProviders providers;

    @BeforeAll
    void start() {
        mock = new MockProviders();
        ProviderSettings evilGoogle = new ProviderSettings("evil-google", ProviderKind.OIDC, null, mock.issuer("google"),
                "evil-google-client", "evil-secret-0123456789abcdef0123456789", null, MockProviders.REDIRECT, null,
                URI.create(mock.server().authorizationEndpointUrl("evil").toString()),
                URI.create(mock.server().tokenEndpointUrl("evil").toString()), null, null, null);
        ProviderSettings misnamed = new ProviderSettings("misnamed", ProviderKind.OIDC, null, mock.impostorIssuer(), "c", "s", null, MockProviders.REDIRECT, null, null,
                null, null, null, null);
        providers = new UpstreamProviders(config(), List.of(mock.oidc("google", ProviderKind.GOOGLE, "google", null),
                mock.oidc("microsoft", ProviderKind.MICROSOFT, "microsoft", null),
                mock.oidc("acme-okta", ProviderKind.OIDC, "acme", "acme"), mock.github(), evilGoogle, misnamed),
                Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        mock.close();
    }

    static UpstreamConfig config() {
        return new UpstreamConfig(Duration.ofMinutes(10), "gh_oauth_binding", "magicAuth", MockProviders.REDIRECT,
                Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    private record Started(String verifier, String nonce, Map<String, String> callback) {
    }

    private Started authorize(UpstreamProvider provider) {
        String verifier = Pkce.newVerifier();
        String nonce = "n-" + System.nanoTime();
        URI url = provider.authorizationUrl(new AuthorizationParams("state-" + System.nanoTime(), nonce,
                Pkce.challenge(verifier), MockProviders.REDIRECT));
        return new Started(verifier, nonce, mock.authorize(url));
    }

    @Test
    void googleSignInReturnsTheVerifiedIdentityAndTheTokens() {
        UpstreamProvider google = providers.byName("google").orElseThrow();
        String verifier = Pkce.newVerifier();
        URI url = google.authorizationUrl(new AuthorizationParams("the-state", "the-nonce", Pkce.challenge(verifier),
                MockProviders.REDIRECT, List.of("https://www.googleapis.com/auth/calendar.readonly"),
                Map.of("access_type", "offline", "prompt", "consent"), "ada@example.com"));
        assertThat(url.toString()).startsWith(mock.server().authorizationEndpointUrl("google").toString())
                .contains("code_challenge_method=S256", "code_challenge=" + Pkce.challenge(verifier),
                        "nonce=the-nonce", "state=the-state", "access_type=offline", "prompt=consent",
                        "login_hint=ada%40example.com", "client_id=google-client", "calendar.readonly");
        // the mock shows a login page for prompt=consent: play the flow without it
        url = google.authorizationUrl(new AuthorizationParams("the-state", "the-nonce", Pkce.challenge(verifier),
                MockProviders.REDIRECT, List.of(), Map.of("access_type", "offline"), null));
        Map<String, String> callback = mock.authorize(url);
        assertThat(callback).containsEntry("state", "the-state").containsEntry("redirect", MockProviders.REDIRECT.toString());
        mock.nextUser("google", "google-sub-1", "google-client", MockProviders.email("Ada@Example.com", true));

        ExchangeResult result = google.exchange(new CodeExchange(callback.get("code"), verifier, "the-nonce",
                MockProviders.REDIRECT, null));

        assertThat(result).isInstanceOf(ExchangeResult.Success.class);
        var success = (ExchangeResult.Success) result;
        assertThat(success.identity()).isEqualTo(new UpstreamIdentity("google", mock.issuer("google").toString(),
                "google-sub-1", "Ada@Example.com", true, "Ada Lovelace", null));
        assertThat(success.tokens().accessToken()).isNotBlank();
        assertThat(success.tokens().refreshToken()).isNotBlank();
        assertThat(success.tokens().toString()).doesNotContain(success.tokens().accessToken());
    }

    @Test
    void aWrongPkceVerifierIsRefusedByTheProvider() {
        UpstreamProvider google = providers.byName("google").orElseThrow();
        Started started = authorize(google);
        ExchangeResult result = google.exchange(new CodeExchange(started.callback().get("code"), Pkce.newVerifier(),
                started.nonce(), MockProviders.REDIRECT, null));
        assertThat(result).isInstanceOfSatisfying(ExchangeResult.Failure.class,
                f -> assertThat(f.reason()).isEqualTo(ExchangeResult.Reason.CODE_REJECTED));
    }

    @Test
    void anIdTokenWithAnotherSignInsNonceIsRefused() {
        UpstreamProvider google = providers.byName("google").orElseThrow();
        Started started = authorize(google);
        mock.nextUser("google", "sub-nonce", "google-client", MockProviders.email("n@example.com", true));
        ExchangeResult result = google.exchange(new CodeExchange(started.callback().get("code"), started.verifier(),
                "another-sign-ins-nonce", MockProviders.REDIRECT, null));
        assertThat(result).isInstanceOfSatisfying(ExchangeResult.Failure.class,
                f -> assertThat(f.reason()).isEqualTo(ExchangeResult.Reason.NONCE_MISMATCH));
    }

    @Test
    void anAuthorizationResponseFromAnotherIssuerIsRefusedBeforeTheCodeIsSpent() {
        UpstreamProvider google = providers.byName("google").orElseThrow();
        Started started = authorize(google);
        ExchangeResult result = google.exchange(new CodeExchange(started.callback().get("code"), started.verifier(),
                started.nonce(), MockProviders.REDIRECT, mock.issuer("evil").toString()));
        assertThat(result).isInstanceOfSatisfying(ExchangeResult.Failure.class,
                f -> assertThat(f.reason()).isEqualTo(ExchangeResult.Reason.ISSUER_MISMATCH));
        // the code was not sent anywhere: it still works with the right iss
        mock.nextUser("google", "sub-iss", "google-client", MockProviders.email("iss@example.com", true));
        assertThat(google.exchange(new CodeExchange(started.callback().get("code"), started.verifier(),
                started.nonce(), MockProviders.REDIRECT, mock.issuer("google").toString())))
                .isInstanceOf(ExchangeResult.Success.class);
    }

    @Test
    void anIdTokenFromAnotherIssuerIsRefused() {
        UpstreamProvider evil = providers.byName("evil-google").orElseThrow();
        Started started = authorize(evil);
        mock.nextUser("evil", "victim", "evil-google-client", MockProviders.email("victim@example.com", true));
        ExchangeResult result = evil.exchange(new CodeExchange(started.callback().get("code"), started.verifier(),
                started.nonce(), MockProviders.REDIRECT, null));
        assertThat(result).isInstanceOfSatisfying(ExchangeResult.Failure.class,
                f -> assertThat(f.reason()).isEqualTo(ExchangeResult.Reason.ISSUER_MISMATCH));
    }

    @Test
    void anExpiredIdTokenIsRefused() {
        UpstreamProvider google = providers.byName("google").orElseThrow();
        Started started = authorize(google);
        mock.nextUser("google", "sub-exp", "google-client", MockProviders.email("exp@example.com", true), -3600);
        ExchangeResult result = google.exchange(new CodeExchange(started.callback().get("code"), started.verifier(),
                started.nonce(), MockProviders.REDIRECT, null));
        assertThat(result).isInstanceOfSatisfying(ExchangeResult.Failure.class,
                f -> assertThat(f.reason()).isEqualTo(ExchangeResult.Reason.INVALID_ID_TOKEN));
    }

    @Test
    void microsoftAddressesAreVerifiedOnlyWhenTheTokenSaysSo() {
        UpstreamProvider microsoft = providers.byName("microsoft").orElseThrow();
        Started plain = authorize(microsoft);
        mock.nextUser("microsoft", "ms-1", "microsoft-client", Map.of("email", "grace@contoso.example"));
        var unverified = (ExchangeResult.Success) microsoft.exchange(new CodeExchange(plain.callback().get("code"),
                plain.verifier(), plain.nonce(), MockProviders.REDIRECT, null));
        assertThat(unverified.identity().emailVerified()).isFalse();

        Started owner = authorize(microsoft);
        mock.nextUser("microsoft", "ms-2", "microsoft-client", Map.of("email", "grace@contoso.example",
                "xms_edov", true));
        var verified = (ExchangeResult.Success) microsoft.exchange(new CodeExchange(owner.callback().get("code"),
                owner.verifier(), owner.nonce(), MockProviders.REDIRECT, null));
        assertThat(verified.identity().emailVerified()).isTrue();
    }

    @Test
    void enterpriseConnectionsAreFoundByOrganization() {
        assertThat(providers.forOrganization("acme")).map(UpstreamProvider::name).hasValue("acme-okta");
        assertThat(providers.forOrganization("globex")).isEmpty();
        assertThat(providers.byName("nope")).isEmpty();
        UpstreamProvider okta = providers.forOrganization("acme").orElseThrow();
        Started started = authorize(okta);
        mock.nextUser("acme", "okta-7", "acme-okta-client", MockProviders.email("wile@acme.example", true));
        var success = (ExchangeResult.Success) okta.exchange(new CodeExchange(started.callback().get("code"),
                started.verifier(), started.nonce(), MockProviders.REDIRECT, null));
        assertThat(success.identity().issuer()).isEqualTo(mock.issuer("acme").toString());
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerMakesTheProviderUnavailable() {
        UpstreamProvider misnamed = providers.byName("misnamed").orElseThrow();
        assertThatThrownBy(() -> misnamed.authorizationUrl(new AuthorizationParams("s", "n",
                Pkce.challenge(Pkce.newVerifier()), MockProviders.REDIRECT)))
                .isInstanceOf(ProviderUnavailableException.class);
        assertThat(misnamed.exchange(new CodeExchange("c", Pkce.newVerifier(), "n", MockProviders.REDIRECT, null)))
                .isInstanceOfSatisfying(ExchangeResult.Failure.class,
                        f -> assertThat(f.reason()).isEqualTo(ExchangeResult.Reason.PROVIDER_UNAVAILABLE));
    }

    @Test
    void gitHubSignInReadsThePrimaryAddressAndWhetherItIsVerified() {
        UpstreamProvider github = providers.byName("github").orElseThrow();
        mock.githubEmails.set(List.<Object[]>of(new Object[]{"octo@github.example", true}));
        Started started = authorize(github);
        mock.nextUser("github", "ignored", "github-client", Map.of());
        var success = (ExchangeResult.Success) github.exchange(new CodeExchange(started.callback().get("code"),
                started.verifier(), null, MockProviders.REDIRECT, null));
        assertThat(success.identity()).isEqualTo(new UpstreamIdentity("github", success.identity().issuer(), "583231",
                "octo@github.example", true, "The Octocat", "https://avatars.githubusercontent.com/u/583231"));

        mock.githubEmails.set(List.<Object[]>of(new Object[]{"unverified@github.example", false}));
        Started again = authorize(github);
        var unverified = (ExchangeResult.Success) github.exchange(new CodeExchange(again.callback().get("code"),
                again.verifier(), null, MockProviders.REDIRECT, null));
        assertThat(unverified.identity().emailVerified()).isFalse();

        Started wrongVerifier = authorize(github);
        assertThat(github.exchange(new CodeExchange(wrongVerifier.callback().get("code"), Pkce.newVerifier(), null,
                MockProviders.REDIRECT, null))).isInstanceOfSatisfying(ExchangeResult.Failure.class,
                f -> assertThat(f.reason()).isEqualTo(ExchangeResult.Reason.CODE_REJECTED));
    }

    @Test
    void pkceChecksAreS256AndConstantTime() {
        String verifier = Pkce.newVerifier();
        // RFC 7636 appendix B
        assertThat(Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assertThat(Pkce.matches(verifier, Pkce.challenge(verifier))).isTrue();
        assertThat(Pkce.matches(Pkce.newVerifier(), Pkce.challenge(verifier))).isFalse();
        assertThat(Pkce.matches("short", "short")).isFalse();
        assertThat(Pkce.matches(null, Pkce.challenge(verifier))).isFalse();
        assertThat(Pkce.isChallenge(verifier)).isTrue();
        assertThat(Pkce.isChallenge("plain-challenge")).isFalse();
    }

    @Test
    void invalidSettingsNameTheirKeys() {
        ProviderSettings bad = new ProviderSettings("Bad Name", null, null, null, null, null, List.of("email"), null,
                null, null, null, null, null, Map.of("state", "x"));
        assertThat(bad.problems()).contains("name: 1-63 of a-z 0-9 _ -, starting with a letter or digit",
                "type: one of google, microsoft, github, oidc", "clientId: is required",
                "redirectUri: is required", "authorizationParameters: state is set by Gatehouse");
        ProviderSettings noIssuer = new ProviderSettings("okta", ProviderKind.OIDC, "acme", null, "c", "s",
                List.of("email"), MockProviders.REDIRECT, null, null, null, null, null, null);
        assertThat(noIssuer.problems()).containsExactly("issuer: is required for an oidc provider",
                "scopes: must include openid");
        assertThat(mock.oidc("google", ProviderKind.GOOGLE, "google", null).problems()).isEmpty();
        assertThat(new ProviderSettings("google", ProviderKind.GOOGLE, null, null, "c", "s", null,
                MockProviders.REDIRECT, null, null, null, null, null, null).issuer())
                .isEqualTo(URI.create("https://accounts.google.com"));
    }

    @Test
    void theBootstrapFileDeclaresSsoConnections(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bootstrap.yml");
        Files.writeString(file, """
                version: 1
                ssoConnections:
                  - name: acme-okta
                    type: oidc
                    organization: acme
                    issuer: https://acme.okta.example
                    clientId: gatehouse
                    clientSecretEnv: ACME_OKTA_SECRET
                    scopes: [openid, email, profile, groups]
                """);
        List<ProviderSettings> declared = UpstreamProviders.settings(config(), List.of(), file.toString(),
                Map.of("ACME_OKTA_SECRET", "from-the-environment")::get);
        assertThat(declared).singleElement().satisfies(s -> {
            assertThat(s.organization()).isEqualTo("acme");
            assertThat(s.clientSecret()).isEqualTo("from-the-environment");
            assertThat(s.redirectUri()).isEqualTo(MockProviders.REDIRECT);
            assertThat(s.scopes()).containsExactly("openid", "email", "profile", "groups");
        });

        Files.writeString(file, """
                version: 1
                ssoConnections:
                  - name: acme-okta
                    type: saml
                    organization: Acme Inc
                    clientSecret: literal
                    clientId: gatehouse
                    isuer: https://typo.example
                """);
        assertThatThrownBy(() -> UpstreamProviders.settings(config(), List.of(), file.toString(), k -> null))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).endsWith("ssoConnections[0]: unknown key 'isuer'"))
                        .anySatisfy(p -> assertThat(p).endsWith("ssoConnections[0].type: one of google, microsoft, github, oidc"))
                        .anySatisfy(p -> assertThat(p).endsWith("ssoConnections[0].organization: must be an organization's slug")));
        assertThat(BootstrapDocument.SECTIONS).contains("ssoConnections");
    }

    @Test
    void twoConnectionsForOneOrganizationStopStartup() {
        assertThatThrownBy(() -> new UpstreamProviders(config(), List.of(mock.oidc("a", ProviderKind.OIDC, "a", "acme"),
                mock.oidc("b", ProviderKind.OIDC, "b", "acme")), Clock.systemUTC()))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly("organization 'acme' has two SSO connections"));
    }
}
