package dev.gatehouse.identity.upstream;

import dev.gatehouse.identity.platform.TenantClient;
import dev.gatehouse.identity.signin.Discovery;
import dev.gatehouse.identity.signin.DiscoveryRule;
import jakarta.inject.Singleton;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * Discovery's first rule: an address whose domain an organization verified (tenant-service), when that organization
 * has an SSO connection, signs in there. The sign-in is started at once ({@code sso} with redirectUrl, state and
 * challenge; the browser-binding cookie is added by {@link DiscoveryBindingFilter}), with backend-managed PKCE.
 */
@Singleton
public class SsoDiscoveryRule implements DiscoveryRule {
    private final TenantClient tenants;
    private final UpstreamProviders providers;
    private final UpstreamSignIn signIn;
    private final BindingCookie binding;

    public SsoDiscoveryRule(TenantClient tenants, UpstreamProviders providers, UpstreamSignIn signIn,
                            BindingCookie binding) {
        this.tenants = tenants;
        this.providers = providers;
        this.signIn = signIn;
        this.binding = binding;
    }

    @Override
    public int getOrder() {
        return 0;
    }

    @Override
    public Optional<Discovery> decide(Request ask) {
        if (providers.all().stream().noneMatch(p -> p.settings().enterprise())) {
            return Optional.empty();
        }
        String domain;
        try {
            domain = IDN.toASCII(ask.email().substring(ask.email().indexOf('@') + 1), IDN.USE_STD3_ASCII_RULES)
                    .toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        var discovered = tenants.discoverDomain(domain);
        if (discovered.isEmpty()) {
            return Optional.empty();
        }
        var sso = providers.forOrganization(discovered.get().organizationSlug());
        if (sso.isEmpty()) {
            return Optional.empty();
        }
        // discovery's body carries only the email: PKCE is backend-managed and the sign-in bound by the cookie, for
        // desktop apps too (one that wants its own PKCE calls /auth/oauth/{provider}/start with its codeChallenge)
        var caller = new UpstreamSignIn.Caller(null, binding.read(ask.request()).orElse(null), null, null);
        UpstreamSignIn.Started started = signIn.start(sso.get(), caller, null, null, ask.email(),
                discovered.get().organizationId());
        ask.request().setAttribute(BindingCookie.ATTRIBUTE, started.binding());
        return Optional.of(new Discovery(Discovery.SSO, started.redirectUrl(), started.state(), started.challenge()));
    }
}
