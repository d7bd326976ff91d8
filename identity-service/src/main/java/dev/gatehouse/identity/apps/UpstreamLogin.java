package dev.gatehouse.identity.apps;

import dev.gatehouse.identity.upstream.AuthorizationParams;
import dev.gatehouse.identity.upstream.CodeExchange;
import dev.gatehouse.identity.upstream.ExchangeResult;
import dev.gatehouse.identity.upstream.Pkce;
import dev.gatehouse.identity.upstream.ProviderUnavailableException;
import dev.gatehouse.identity.upstream.UpstreamIdentity;
import dev.gatehouse.identity.upstream.UpstreamProvider;
import dev.gatehouse.identity.upstream.UpstreamProviders;
import dev.gatehouse.identity.upstream.UpstreamTokens;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import dev.gatehouse.identity.vault.StoredTokens;
import dev.gatehouse.identity.vault.TokenVault;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upstream half of the app-specific sign-ins (seeds 000 and 003): the authorization URL towards the provider
 * (PKCE S256 and nonce, always), and on return the code exchange, the account (linked by VERIFIED e-mail only) and,
 * when asked, the provider's tokens into the vault.
 */
@Singleton
public class UpstreamLogin {
    private final UpstreamProviders providers;
    private final UserDirectory users;
    private final TokenVault vault;
    private final Clock clock;

    public UpstreamLogin(UpstreamProviders providers, UserDirectory users, TokenVault vault, Clock clock) {
        this.providers = providers;
        this.users = users;
        this.vault = vault;
        this.clock = clock;
    }

    /** What to keep until the provider sends the browser back. */
    public record Started(URI authorizationUrl, String codeVerifier, String nonce) {
        @Override
        public String toString() {
            return "Started[authorizationUrl=" + authorizationUrl.getHost() + "]";
        }
    }

    public sealed interface Finished {
    }

    public record SignedIn(User user, UpstreamIdentity identity) implements Finished {
    }

    /** {@code unavailable}: the provider could not be reached (5xx), otherwise it or the user refused (4xx). */
    public record Failed(String detail, boolean unavailable) implements Finished {
    }

    public Optional<UpstreamProvider> provider(String name) {
        return providers.byName(name);
    }

    /** @throws ProviderUnavailableException when the provider's discovery document cannot be fetched */
    public Started start(UpstreamProvider provider, String state, URI redirectUri, List<String> extraScopes,
                         Map<String, String> extraParameters) {
        String verifier = Pkce.newVerifier();
        String nonce = Secrets.token();
        URI url = provider.authorizationUrl(new AuthorizationParams(state, nonce, Pkce.challenge(verifier), redirectUri,
                extraScopes, extraParameters, null));
        return new Started(url, verifier, nonce);
    }

    /**
     * Redeems the code, finds or creates the user, and (with {@code keepTokens}) stores the provider's tokens.
     * {@code responseIssuer} is the callback's {@code iss} parameter, if any.
     */
    public Finished finish(UpstreamProvider provider, String code, String verifier, String nonce, URI redirectUri,
                           @Nullable String responseIssuer, boolean keepTokens) {
        ExchangeResult result;
        try {
            result = provider.exchange(new CodeExchange(code, verifier, nonce, redirectUri, responseIssuer));
        } catch (ProviderUnavailableException e) {
            return new Failed(e.getMessage(), true);
        }
        return switch (result) {
            case ExchangeResult.Failure failure -> new Failed(failure.detail(),
                    failure.reason() == ExchangeResult.Reason.PROVIDER_UNAVAILABLE);
            case ExchangeResult.Success success -> {
                UpstreamIdentity identity = success.identity();
                if (identity.email() == null || !identity.emailVerified()) {
                    yield new Failed("the provider did not assert a verified e-mail address", false);
                }
                User user = users.linkVerifiedEmail(identity.email(), identity.name(), identity.pictureUrl(),
                        provider.name()).user();
                if (keepTokens) {
                    UpstreamTokens tokens = success.tokens();
                    vault.store(user.id(), provider.name(), new StoredTokens(tokens.accessToken(),
                            tokens.refreshToken(), tokens.expiresInSeconds() == null ? null
                            : clock.instant().plusSeconds(tokens.expiresInSeconds()),
                            tokens.scope() == null || tokens.scope().isBlank() ? List.of()
                                    : Arrays.asList(tokens.scope().trim().split("\\s+"))));
                }
                yield new SignedIn(user, identity);
            }
        };
    }
}
