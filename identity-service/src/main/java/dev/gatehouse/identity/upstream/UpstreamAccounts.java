package dev.gatehouse.identity.upstream;

import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Which Gatehouse user an upstream identity is. An account already linked signs in as its user. Otherwise only an
 * address the provider VERIFIED links (to the user with that address, or a new one); an unverified address never
 * links and never creates an account, whether or not the address is known (no account enumeration): the user proves
 * the address another way (a magic code) or at the provider.
 */
@Singleton
public class UpstreamAccounts {
    private final UserDirectory users;
    private final UpstreamIdentityLinks links;

    public UpstreamAccounts(UserDirectory users, UpstreamIdentityLinks links) {
        this.users = users;
        this.links = links;
    }

    public sealed interface Resolution {
    }

    /** @param created whether this sign-in created the user */
    public record Resolved(User user, boolean created) implements Resolution {
    }

    /** The provider did not verify the address and the upstream account is not linked yet. */
    public record UnverifiedEmail() implements Resolution {
    }

    @Transactional
    public Resolution resolve(UpstreamIdentity identity) {
        Optional<User> linked = links.userOf(identity.issuer(), identity.subject())
                .flatMap(id -> users.find(new UserId(id)));
        if (linked.isPresent()) {
            return new Resolved(linked.get(), false);
        }
        if (!identity.emailVerified()) {
            return new UnverifiedEmail();
        }
        Optional<User> before = users.findByEmail(identity.email());
        UserDirectory.Linked result = users.linkVerifiedEmail(identity.email(), identity.name(),
                identity.pictureUrl(), "oauth:" + identity.provider());
        if (before.isPresent() && !before.get().emailVerified()) {
            // the address is proven only now: whatever was linked to it without proof no longer signs in
            links.dropUnverified(result.user().id());
        }
        links.link(identity, result.user().id());
        return new Resolved(result.user(), result.created());
    }
}
