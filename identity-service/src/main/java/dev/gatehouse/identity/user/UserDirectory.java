package dev.gatehouse.identity.user;

import dev.gatehouse.contract.event.Events;
import dev.gatehouse.contract.event.identity.UserCreated;
import dev.gatehouse.contract.event.identity.UserUpdated;
import dev.gatehouse.contract.id.UserId;
import dev.gatehouse.kit.id.Ids;
import dev.gatehouse.kit.outbox.Outbox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Users: lookups, creation, profile updates and password credentials, each change with its event
 * ({@code UserCreated}, {@code UserUpdated}) in the same transaction (outbox). Emails are stored lower case and are
 * unique case-insensitively. Accounts are linked by VERIFIED email only ({@link #linkVerifiedEmail}).
 */
@Singleton
public class UserDirectory {
    private static final String COLUMNS = "id, username, email, email_verified, display_name, picture_url, "
            + "platform_admin, created_at, updated_at";
    private final DataSource dataSource;
    private final Outbox outbox;
    private final Clock clock;

    public UserDirectory(DataSource dataSource, Outbox outbox, Clock clock) {
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** An address as stored and compared: trimmed, lower case. */
    public static String normaliseEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    /** A profile change: null components are left as they are. */
    public record ProfileChange(@Nullable String name, @Nullable String pictureUrl, @Nullable Boolean emailVerified) {
    }

    /** The outcome of {@link #linkVerifiedEmail}: the user, and whether this call created it. */
    public record Linked(User user, boolean created) {
    }

    @Transactional
    public Optional<User> find(UserId id) {
        return one("select " + COLUMNS + " from app_user where id = ?", id.value());
    }

    @Transactional
    public Optional<User> findByEmail(String email) {
        return one("select " + COLUMNS + " from app_user where lower(email) = ?", normaliseEmail(email));
    }

    @Transactional
    public Optional<User> findByUsername(String username) {
        return one("select " + COLUMNS + " from app_user where lower(username) = lower(?)", username.trim());
    }

    /** By username, else by email (seed 001's {@code username} may be either). */
    @Transactional
    public Optional<User> findByLogin(String login) {
        Optional<User> byName = findByUsername(login);
        return byName.isPresent() ? byName : findByEmail(login);
    }

    /** Creates a user with a fresh id; {@link DuplicateEmailException} when the address is taken. */
    @Transactional
    public User create(NewUser user) {
        return tryCreate(user).orElseThrow(DuplicateEmailException::new);
    }

    private Optional<User> tryCreate(NewUser user) {
        Objects.requireNonNull(user.email(), "email");
        Instant now = now();
        String id = Ids.next("usr", clock);
        String email = normaliseEmail(user.email());
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                insert into app_user (id, email, email_verified, display_name, picture_url, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?) on conflict ((lower(email))) do nothing""")) {
            s.setString(1, id);
            s.setString(2, email);
            s.setBoolean(3, user.emailVerified());
            s.setString(4, user.name());
            s.setString(5, user.pictureUrl());
            s.setTimestamp(6, Timestamp.from(now));
            s.setTimestamp(7, Timestamp.from(now));
            if (s.executeUpdate() == 0) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a user", e);
        }
        if (user.passwordHash() != null) {
            upsertPassword(id, user.passwordHash(), now);
        }
        outbox.record(Events.USER_CREATED, null, new UserCreated(new UserId(id), email, user.emailVerified(),
                user.name(), user.source(), now));
        return find(new UserId(id));
    }

    /**
     * The user with this VERIFIED address: the existing one (an unverified account becomes verified and loses any
     * password set before the address was proven, which may have been someone else's), or a new one.
     */
    @Transactional
    public Linked linkVerifiedEmail(String email, @Nullable String name, @Nullable String pictureUrl, String source) {
        Optional<User> existing = findByEmail(email);
        if (existing.isEmpty()) {
            Optional<User> created = tryCreate(new NewUser(email, true, name, pictureUrl, null, source));
            if (created.isPresent()) {
                return new Linked(created.get(), true);
            }
            existing = findByEmail(email);
        }
        User user = existing.orElseThrow();
        List<String> changed = new ArrayList<>();
        if (!user.emailVerified()) {
            exec("update app_user set email_verified = true where id = ?", user.id());
            changed.add("emailVerified");
            if (exec("delete from password_credential where user_id = ?", user.id()) > 0) {
                changed.add("password");
            }
        }
        if (user.name() == null && name != null) {
            exec("update app_user set display_name = ? where id = ?", name, user.id());
            changed.add("name");
        }
        if (user.pictureUrl() == null && pictureUrl != null) {
            exec("update app_user set picture_url = ? where id = ?", pictureUrl, user.id());
            changed.add("pictureUrl");
        }
        return new Linked(changed.isEmpty() ? user : touched(user.userId(), changed), false);
    }

    /** Applies a profile change; emits {@code UserUpdated} when something changed. */
    @Transactional
    public Optional<User> update(UserId id, ProfileChange change) {
        Optional<User> current = find(id);
        if (current.isEmpty()) {
            return current;
        }
        User user = current.get();
        List<String> changed = new ArrayList<>();
        if (change.name() != null && !change.name().equals(user.name())) {
            exec("update app_user set display_name = ? where id = ?", change.name(), user.id());
            changed.add("name");
        }
        if (change.pictureUrl() != null && !change.pictureUrl().equals(user.pictureUrl())) {
            exec("update app_user set picture_url = ? where id = ?", change.pictureUrl(), user.id());
            changed.add("pictureUrl");
        }
        if (change.emailVerified() != null && change.emailVerified() != user.emailVerified()) {
            exec("update app_user set email_verified = ? where id = ?", change.emailVerified(), user.id());
            changed.add("emailVerified");
        }
        return Optional.of(changed.isEmpty() ? user : touched(id, changed));
    }

    /** The user's argon2id PHC string, if they have a password. */
    @Transactional
    public Optional<String> passwordHash(UserId id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select hash from password_credential where user_id = ?")) {
            s.setString(1, id.value());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read a password credential", e);
        }
    }

    /** Sets (or replaces) the user's password: emits {@code UserUpdated} with {@code password}. */
    @Transactional
    public void setPassword(UserId id, String phc) {
        upsertPassword(id.value(), phc, now());
        touched(id, List.of("password"));
    }

    /** Replaces the stored hash of the same password with one at the current parameters (no event). */
    @Transactional
    public void rehashPassword(UserId id, String phc) {
        upsertPassword(id.value(), phc, now());
    }

    private User touched(UserId id, List<String> changed) {
        Instant now = now();
        exec("update app_user set updated_at = ? where id = ?", Timestamp.from(now), id.value());
        User user = find(id).orElseThrow();
        outbox.record(Events.USER_UPDATED, null, new UserUpdated(id, user.email(), user.emailVerified(), user.name(),
                user.pictureUrl(), changed, now));
        return user;
    }

    private void upsertPassword(String userId, String phc, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                insert into password_credential (user_id, hash, updated_at) values (?, ?, ?)
                on conflict (user_id) do update set hash = excluded.hash, updated_at = excluded.updated_at""")) {
            s.setString(1, userId);
            s.setString(2, phc);
            s.setTimestamp(3, Timestamp.from(now));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store a password credential", e);
        }
    }

    private int exec(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update a user", e);
        }
    }

    private Optional<User> one(String sql, String arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read users", e);
        }
    }

    private static User row(ResultSet rs) throws SQLException {
        return new User(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5),
                rs.getString(6), rs.getBoolean(7), rs.getTimestamp(8).toInstant(), rs.getTimestamp(9).toInstant());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
