package dev.gatehouse.identity.upstream;

import dev.gatehouse.contract.id.OrgId;
import dev.gatehouse.identity.platform.SessionClient;
import dev.gatehouse.identity.platform.TenantClient;
import dev.gatehouse.identity.signin.SignInCompletion;
import dev.gatehouse.identity.signin.SignInConfig;
import dev.gatehouse.identity.signin.SignInContext;
import dev.gatehouse.identity.signin.SignInEvents;
import dev.gatehouse.kit.http.Problem;
import dev.gatehouse.kit.http.ProblemException;
import dev.gatehouse.kit.http.ProblemType;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Seed 004's upstream sign-in: start (state, nonce and PKCE kept in Redis for 10 minutes, bound to the browser by an
 * HttpOnly cookie) and finalize (state taken once, browser binding and PKCE checked, code redeemed at the provider,
 * the identity linked by verified address, the sign-in completed by {@link SignInCompletion}).
 * Web is a confidential BFF: Gatehouse makes and keeps the PKCE verifier. Desktop is a public client: the app sends
 * its own S256 {@code codeChallenge} at start and {@code codeVerifier} at finalize; Gatehouse checks the pair itself
 * and also forwards both to the provider.
 */
@Singleton
public class UpstreamSignIn {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamSignIn.class);
    /** ≥ 128 bits when chosen by the client; Gatehouse's own are 256 bits. */
    private static final Pattern CLIENT_STATE = Pattern.compile("[A-Za-z0-9._~-]{32,128}");
    private static final Pattern BINDING = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int MAX_CODE = 2048;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UpstreamProviders providers;
    private final UpstreamStateStore states;
    private final UpstreamConfig config;
    private final UpstreamAccounts accounts;
    private final SignInCompletion completion;
    private final SignInConfig signIn;
    private final SignInEvents events;
    private final TenantClient tenants;
    private final Clock clock;

    public UpstreamSignIn(UpstreamProviders providers, UpstreamStateStore states, UpstreamConfig config,
                          UpstreamAccounts accounts, SignInCompletion completion, SignInConfig signIn,
                          SignInEvents events, TenantClient tenants, Clock clock) {
        this.providers = providers;
        this.states = states;
        this.config = config;
        this.accounts = accounts;
        this.completion = completion;
        this.signIn = signIn;
        this.events = events;
        this.tenants = tenants;
        this.clock = clock;
    }

    /** web or desktop, from the {@value #PLATFORM_HEADER} header; null when not said. */
    public static final String PLATFORM_HEADER = "X-Client-Platform";

    /**
     * A started sign-in.
     *
     * @param binding the browser-binding cookie value to set (the one the browser sent when it had a valid one)
     */
    public record Started(String redirectUrl, String state, String challenge, String binding) {
        @Override
        public String toString() {
            return "Started[]";
        }
    }

    /** Where the browser is and who it is, for the session and the events. */
    public record Caller(@Nullable String platform, @Nullable String binding, @Nullable String userAgent,
                         @Nullable String ipAddress) {
    }

    public UpstreamProvider provider(String name) {
        return providers.byName(name).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                "There is no identity provider '" + printable(name) + "'"));
    }

    /**
     * Starts a sign-in at {@code provider}.
     *
     * @param organizationId the organization whose SSO this is (domain discovery), or null
     */
    public Started start(UpstreamProvider provider, Caller caller, @Nullable String clientState,
                         @Nullable String codeChallenge, @Nullable String loginHint, @Nullable String organizationId) {
        boolean desktop = desktop(caller.platform(), codeChallenge);
        if (desktop && !Pkce.isChallenge(codeChallenge)) {
            throw invalid("codeChallenge", codeChallenge == null ? "is required for desktop sign-ins"
                    : "must be an S256 challenge: 43 characters of base64url");
        }
        if (clientState != null && !CLIENT_STATE.matcher(clientState).matches()) {
            throw invalid("state", "must be 32-128 characters of A-Z a-z 0-9 . _ ~ - (at least 128 bits)");
        }
        String state = clientState != null ? clientState : random();
        String binding = caller.binding() != null && BINDING.matcher(caller.binding()).matches() ? caller.binding()
                : random();
        String verifier = desktop ? null : Pkce.newVerifier();
        String challenge = desktop ? codeChallenge : Pkce.challenge(verifier);
        String nonce = random();
        ProviderSettings settings = provider.settings();
        var redirectUri = desktop ? settings.desktopRedirectUri() : settings.redirectUri();
        String url;
        try {
            url = provider.authorizationUrl(new AuthorizationParams(state, nonce, challenge, redirectUri, List.of(),
                    java.util.Map.of(), loginHint)).toString();
        } catch (ProviderUnavailableException e) {
            LOG.warn("cannot start a sign-in: {}", e.getMessage());
            throw new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE,
                    "The identity provider '" + provider.name() + "' is unavailable; try again later");
        }
        PendingUpstreamSignIn pending = new PendingUpstreamSignIn(provider.name(),
                desktop ? PendingUpstreamSignIn.DESKTOP : PendingUpstreamSignIn.WEB, nonce, verifier, challenge,
                UpstreamStateStore.sha256Hex(binding), redirectUri.toString(), organizationId,
                clock.instant().getEpochSecond());
        if (!states.put(state, pending, config.stateTtl())) {
            throw new ProblemException(ProblemType.CONFLICT, "That state is already in use; start again without it");
        }
        return new Started(url, state, challenge, binding);
    }

    /** Finalizes a sign-in: the {@link SignInCompletion.Completed} to answer, or a problem. */
    public SignInCompletion.Completed finalize(OAuthRequests.Finalize request, Caller caller) {
        if (request == null || request.code() == null || request.code().isBlank()) {
            throw invalid("code", "is required");
        }
        if (request.code().length() > MAX_CODE) {
            throw invalid("code", "is too long");
        }
        if (request.state() == null || request.state().isBlank() || request.state().length() > 256) {
            throw invalid("state", "is required: echo the state the provider sent back");
        }
        PendingUpstreamSignIn pending = states.take(request.state())
                .orElseThrow(() -> invalid("state", "is unknown, expired or already used; sign in again"));
        String method = "oauth:" + pending.provider();
        UpstreamProvider provider = providers.byName(pending.provider())
                .orElseThrow(() -> invalid("state", "names a provider that is no longer configured"));
        String verifier;
        if (pending.desktop()) {
            if (request.codeVerifier() == null) {
                fail(method, "pkce_missing", caller);
                throw invalid("codeVerifier", "is required for desktop sign-ins");
            }
            if (!Pkce.matches(request.codeVerifier(), pending.codeChallenge())) {
                fail(method, "pkce_mismatch", caller);
                throw invalid("codeVerifier", "does not match the codeChallenge sent at start");
            }
            verifier = request.codeVerifier();
        } else {
            if (caller.binding() == null || !MessageDigest.isEqual(
                    UpstreamStateStore.sha256Hex(caller.binding()).getBytes(StandardCharsets.US_ASCII),
                    pending.bindingHash().getBytes(StandardCharsets.US_ASCII))) {
                fail(method, "state_other_browser", caller);
                throw invalid("state", "was not issued to this browser; sign in again");
            }
            if (request.codeVerifier() != null) {
                fail(method, "pkce_unexpected", caller);
                throw invalid("codeVerifier", "is only sent by desktop apps; web sign-ins keep PKCE server-side");
            }
            verifier = pending.codeVerifier();
        }
        ExchangeResult result = provider.exchange(new CodeExchange(request.code(), verifier, pending.nonce(),
                java.net.URI.create(pending.redirectUri()), request.iss()));
        UpstreamIdentity identity = switch (result) {
            case ExchangeResult.Success success -> success.identity();
            case ExchangeResult.Failure failure -> {
                fail(method, failure.reason().name().toLowerCase(Locale.ROOT), caller);
                LOG.info("upstream sign-in at {} refused: {}", pending.provider(), failure.detail());
                throw problem(failure);
            }
        };
        var resolution = accounts.resolve(identity);
        var user = switch (resolution) {
            case UpstreamAccounts.Resolved resolved -> resolved.user();
            case UpstreamAccounts.UnverifiedEmail unverified -> {
                events.failed(null, identity.email(), method, "email_unverified", caller.ipAddress());
                throw new ProblemException(ProblemType.FORBIDDEN, "The identity provider has not verified your "
                        + "e-mail address, so it cannot sign you in here. Verify it at the provider, or sign in with "
                        + "an e-mail code");
            }
        };
        String organizationId = pending.organization();
        if (organizationId != null && identity.emailVerified()) {
            // enterprise SSO found by a verified domain: members join the organization just in time
            tenants.joinJustInTime(new OrgId(organizationId), user.userId(), identity.email());
        }
        if (request.inviteToken() != null) {
            organizationId = acceptInvitation(request.inviteToken(), user, identity);
        }
        SignInContext context = new SignInContext(signIn.webClientId(), SessionClient.Delivery.COOKIE, null, method,
                organizationId, caller.userAgent(), caller.ipAddress());
        return completion.complete(user, context);
    }

    private String acceptInvitation(String token, dev.gatehouse.identity.user.User user, UpstreamIdentity identity) {
        return switch (tenants.acceptInvitation(token, user.userId(), user.email())) {
            case TenantClient.Invitation invitation -> invitation.organizationId();
            case TenantClient.InvitationRefused refused -> throw new ProblemException(
                    refused.status() == 404 ? ProblemType.VALIDATION_FAILED : ProblemType.forStatus(refused.status()),
                    refused.detail(), refused.status() == 404
                    ? List.of(new Problem.FieldError("inviteToken", "is not valid")) : List.of());
        };
    }

    private void fail(String method, String reason, Caller caller) {
        events.failed(null, "", method, reason, caller.ipAddress());
    }

    private static ProblemException problem(ExchangeResult.Failure failure) {
        return switch (failure.reason()) {
            case CODE_REJECTED -> invalid("code", "was refused by the identity provider (expired, already used, or "
                    + "issued for another PKCE verifier)");
            case ISSUER_MISMATCH -> new ProblemException(ProblemType.UNAUTHORIZED,
                    "The answer did not come from the expected identity provider (issuer mismatch)");
            case NONCE_MISMATCH -> new ProblemException(ProblemType.UNAUTHORIZED,
                    "The identity provider's ID token was not issued for this sign-in (nonce mismatch)");
            case INVALID_ID_TOKEN -> new ProblemException(ProblemType.UNAUTHORIZED,
                    "The identity provider's ID token is not valid");
            case NO_EMAIL -> new ProblemException(ProblemType.FORBIDDEN,
                    "The identity provider did not share an e-mail address");
            case PROVIDER_UNAVAILABLE -> new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE,
                    "The identity provider is unavailable; try again later");
        };
    }

    /** Desktop when the header says so, web when it says so, otherwise desktop exactly when a challenge is sent. */
    private static boolean desktop(@Nullable String platform, @Nullable String codeChallenge) {
        if (platform == null || platform.isBlank()) {
            return codeChallenge != null;
        }
        return switch (platform.strip().toLowerCase(Locale.ROOT)) {
            case "desktop" -> true;
            case "web" -> {
                if (codeChallenge != null) {
                    throw invalid("codeChallenge", "is only sent by desktop apps; web sign-ins keep PKCE server-side");
                }
                yield false;
            }
            default -> throw new ProblemException(ProblemType.VALIDATION_FAILED,
                    "The " + PLATFORM_HEADER + " header must be web or desktop");
        };
    }

    static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, "The " + field + " is not valid",
                List.of(new Problem.FieldError(field, message)));
    }

    static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String printable(String value) {
        return value == null ? "" : value.length() > 64 ? value.substring(0, 64) : value.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
