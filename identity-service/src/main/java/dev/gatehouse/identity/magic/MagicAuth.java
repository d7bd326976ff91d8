package dev.gatehouse.identity.magic;

import dev.gatehouse.identity.internal.http.TooManyAttemptsException;
import dev.gatehouse.identity.mail.MailDispatcher;
import dev.gatehouse.identity.mail.MailTemplates;
import dev.gatehouse.identity.user.User;
import dev.gatehouse.identity.user.UserDirectory;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.core.annotation.Nullable;
import dev.gatehouse.identity.internal.crypto.SecretHasher;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Magic-code sign-in: {@link #send} mails a code (rate-limited, the same answer for every address), {@link #redeem}
 * turns a right code into the user, created on first verified sign-in when self sign-up is on ({@code
 * gatehouse.identity.magic.sign-up}), its address marked verified.
 */
@Singleton
public class MagicAuth {
    private static final Logger LOG = LoggerFactory.getLogger(MagicAuth.class);
    private static final String PROFILE = "gatehouse:identity:magic:profile:";

    private final MagicCodes codes;
    private final MagicCodeLimits limits;
    private final MagicCodeConfig config;
    private final UserDirectory users;
    private final MailTemplates templates;
    private final MailDispatcher mail;
    private final StatefulRedisConnection<String, String> redis;
    private final SecretHasher hasher;

    public MagicAuth(MagicCodes codes, MagicCodeLimits limits, MagicCodeConfig config, UserDirectory users,
                     MailTemplates templates, MailDispatcher mail, StatefulRedisConnection<String, String> redis,
                     SecretHasher hasher) {
        this.codes = codes;
        this.limits = limits;
        this.config = config;
        this.users = users;
        this.templates = templates;
        this.mail = mail;
        this.redis = redis;
        this.hasher = hasher;
    }

    /** The outcome of {@link #redeem}. */
    public sealed interface Redeemed permits Verified, Refused {
    }

    /** The code was right: the user (created now if {@code created}). */
    public record Verified(User user, boolean created) implements Redeemed {
    }

    /** Wrong, expired, used or void: the caller answers the same for all. */
    public record Refused(MagicCodes.Check why) implements Redeemed {
    }

    /**
     * Sends a code to {@code email} if it may sign in (a user, or anyone when sign-up is on), off the request thread.
     * Unknown addresses get the same answer and the same limits.
     *
     * @param name a display name to give the user if this code creates it (sign-up), or null
     * @throws TooManyAttemptsException when the address or client asked too often
     */
    public void send(String email, @Nullable String name, @Nullable String client) {
        limits.take(email, client).ifPresent(wait -> {
            throw new TooManyAttemptsException("Too many codes requested; wait before asking again", wait);
        });
        Optional<User> user = users.findByEmail(email);
        if (user.isEmpty() && !config.signUp()) {
            LOG.debug("magic code not sent: unknown address and sign-up is off");
            return;
        }
        String code = codes.issue(email);
        if (user.isEmpty() && name != null) {
            redis.sync().set(profileKey(email), name, SetArgs.Builder.px(config.ttl().toMillis()));
        }
        mail.submit(templates.magicCode(UserDirectory.normaliseEmail(email), code, config.ttl()));
    }

    /** Redeems {@code code} for {@code email}: the user on success (created if new), else why not. */
    public Redeemed redeem(String email, String code) {
        MagicCodes.Check check = codes.check(email, code);
        if (check != MagicCodes.Check.REDEEMED) {
            return new Refused(check);
        }
        String name = redis.sync().getdel(profileKey(email));
        UserDirectory.Linked linked = users.linkVerifiedEmail(UserDirectory.normaliseEmail(email), name, null, "magic");
        return new Verified(linked.user(), linked.created());
    }

    private String profileKey(String email) {
        return PROFILE + hasher.hashHex("magic-profile", UserDirectory.normaliseEmail(email));
    }
}
