package dev.gatehouse.session.keys;

import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.kit.app.InvalidConfigurationException;
import dev.gatehouse.kit.id.Ids;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The signing keys: created on first start, rotated on schedule, published ahead of use and after retirement, and
 * cached in memory with their decrypted signers (docs/keys.md).
 *
 * <p>Replicas agree without talking: every change (create, rotate, delete) happens under one PostgreSQL advisory
 * lock, every replica re-reads the rows every {@code reload-interval}, and which key signs is a function of the rows
 * and the clock ({@link KeyRing#active}). A new key is inserted {@code publish-ahead} before it activates, so every
 * replica has it, and every verifier's JWKS cache can have it, before any token carries its kid.
 */
@Context
public class SigningKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
    private static final String KID_PREFIX = "key";

    private final TransactionOperations<Connection> tx;
    private final SigningKeyRepository repository;
    private final KeyEncryption encryption;
    private final SigningKeysConfig config;
    private final Clock clock;
    private volatile KeyRing ring = KeyRing.EMPTY;
    private volatile Jwks jwks;

    SigningKeys(TransactionOperations<Connection> tx, SigningKeyRepository repository, KeyEncryption encryption,
                SigningKeysConfig config, Clock clock, MeterRegistry meters) {
        this.tx = tx;
        this.repository = repository;
        this.encryption = encryption;
        this.config = config;
        this.clock = clock;
        Gauge.builder("gatehouse.signing.keys.published", this, keys -> keys.published().size())
                .description("signing keys in the JWKS").register(meters);
    }

    /** Creates the first key if none signs, then loads the keys; a wrong KEK stops startup here. */
    @PostConstruct
    void start() {
        if (ensureKey()) {
            LOG.info("created the first signing key");
        }
        load(true);
    }

    /**
     * Creates a key that signs from now on when no key signs now (first start, or every key retired while the
     * service was down). Under the key lock: replicas starting together create one key.
     *
     * @return whether this call created it
     */
    boolean ensureKey() {
        return tx.executeWrite(status -> {
            Connection connection = status.getConnection();
            repository.lock(connection);
            Instant now = now();
            if (KeyRing.active(repository.all(connection), now).isPresent()) {
                return false;
            }
            create(connection, now, now);
            return true;
        });
    }

    /**
     * The scheduled job's work, on any replica: makes sure a key signs, creates the next key when the active one is
     * due ({@code rotation-period - publish-ahead} after it activated) and none is pending, and deletes expired keys.
     *
     * @return the kid created, if any
     */
    public Optional<String> maintain() {
        var outcome = tx.executeWrite(status -> {
            Connection connection = status.getConnection();
            repository.lock(connection);
            Instant now = now();
            int deleted = repository.deleteExpired(connection, now);
            List<StoredKey> rows = repository.all(connection);
            Optional<StoredKey> active = KeyRing.active(rows, now);
            String created = null;
            if (active.isEmpty()) {
                created = create(connection, now, now);
            } else if (KeyRing.pending(rows, now).isEmpty()
                    && !active.get().activatesAt().plus(config.rotationPeriod()).minus(config.publishAhead()).isAfter(now)) {
                created = rotate(connection, now);
            }
            return new Maintenance(Optional.ofNullable(created), deleted);
        });
        if (outcome.deleted() > 0) {
            LOG.info("deleted {} expired signing key(s)", outcome.deleted());
        }
        if (outcome.created().isPresent() || outcome.deleted() > 0) {
            reload();
        }
        return outcome.created();
    }

    /**
     * Starts a rotation now: the next key is published at once and signs from {@code now + publish-ahead}; the
     * active key signs until then and stays published for {@code max-token-lifetime} + 5 min more. When a next key
     * is already pending, returns it instead (there is never more than one). Not for a compromised key: that one
     * must stop being trusted at once (see docs/keys.md).
     *
     * @return the kid of the next key
     */
    public String rotateNow() {
        String kid = tx.executeWrite(status -> {
            Connection connection = status.getConnection();
            repository.lock(connection);
            Instant now = now();
            List<StoredKey> rows = repository.all(connection);
            Optional<StoredKey> pending = KeyRing.pending(rows, now);
            if (pending.isPresent()) {
                return pending.get().kid();
            }
            return KeyRing.active(rows, now).isEmpty() ? create(connection, now, now) : rotate(connection, now);
        });
        reload();
        return kid;
    }

    /** Re-reads the keys; other replicas' changes are seen within {@code reload-interval}. */
    public void reload() {
        load(false);
    }

    /** The public keys to publish now, newest last, as served at {@code /.well-known/jwks.json}. */
    public Jwks jwks() {
        List<KeyRing.Loaded> published = published();
        List<String> kids = published.stream().map(k -> k.row().kid()).toList();
        Jwks current = jwks;
        if (current == null || !current.kids().equals(kids)) {
            String json = new JWKSet(published.stream().map(KeyRing.Loaded::publicJwk).toList()).toString(true);
            current = new Jwks(kids, json, etag(json));
            jwks = current;
        }
        return current;
    }

    /** The same public keys as {@link #jwks()}, for verifying this service's own tokens in-process. */
    public JWKSet publishedKeys() {
        return new JWKSet(published().stream().map(KeyRing.Loaded::publicJwk).toList());
    }

    /** The key that signs now, with its signer. */
    KeyRing.Loaded activeKey() {
        KeyRing current = ring;
        if (System.nanoTime() - current.loadedNanos() > config.publishAhead().toNanos()) {
            throw new SigningUnavailableException("the signing keys were last read more than publish-ahead ("
                    + config.publishAhead() + ") ago");
        }
        KeyRing.Loaded key = current.active(clock.instant())
                .orElseThrow(() -> new SigningUnavailableException("no signing key is active"));
        if (key.signer() == null) {
            throw new SigningUnavailableException("the active " + key.failure());
        }
        return key;
    }

    List<KeyRing.Loaded> published() {
        return ring.publishedAt(clock.instant());
    }

    KeyRing ring() {
        return ring;
    }

    @Scheduled(fixedDelay = "${gatehouse.session.keys.reload-interval:30s}",
            initialDelay = "${gatehouse.session.keys.reload-interval:30s}")
    void scheduledReload() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warn("could not reload the signing keys; keeping the ones loaded: {}", e.toString());
        }
    }

    @Scheduled(fixedDelay = "${gatehouse.session.keys.maintenance-interval:1m}",
            initialDelay = "${gatehouse.session.keys.maintenance-interval:1m}")
    void scheduledMaintenance() {
        try {
            maintain().ifPresent(kid -> LOG.info("next signing key {} is published", kid));
        } catch (RuntimeException e) {
            LOG.warn("signing key maintenance failed; retrying after maintenance-interval: {}", e.toString());
        }
    }

    /** Inserts the next key, activating {@code publish-ahead} from now, and retires every earlier key then. */
    private String rotate(Connection connection, Instant now) throws SQLException {
        Instant activatesAt = now.plus(config.publishAhead());
        repository.retireAllBefore(connection, activatesAt, activatesAt.plus(config.publishedAfterRetirement()));
        String kid = create(connection, now, activatesAt);
        LOG.info("rotating signing keys: {} ({}) is published and signs from {}", kid, config.algorithm(),
                activatesAt);
        return kid;
    }

    private String create(Connection connection, Instant now, Instant activatesAt) throws SQLException {
        String kid = Ids.next(KID_PREFIX, clock);
        SigningAlgorithm algorithm = config.algorithm();
        JWK jwk = algorithm.generate(kid);
        byte[] pkcs8 = algorithm.pkcs8(jwk);
        byte[] ciphertext;
        try {
            ciphertext = encryption.encrypt(kid, pkcs8);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        repository.insert(connection, new StoredKey(kid, algorithm, jwk.toPublicJWK().toJSONString(), ciphertext,
                encryption.kekId(), now, activatesAt, null, null));
        return kid;
    }

    /** Synchronized so that a slow read can never replace the ring a later read built. */
    private synchronized void load(boolean startup) {
        Instant now = now();
        List<StoredKey> rows = tx.executeRead(status -> repository.all(status.getConnection()));
        Map<String, KeyRing.Loaded> previous = new HashMap<>();
        ring.keys().forEach(k -> previous.put(k.row().kid(), k));
        var loaded = new ArrayList<KeyRing.Loaded>(rows.size());
        var wrongKek = new ArrayList<String>();
        var failures = new ArrayList<String>();
        for (StoredKey row : rows) {
            KeyRing.Loaded before = previous.get(row.kid());
            if (before != null && Arrays.equals(before.row().ciphertext(), row.ciphertext())) {
                loaded.add(new KeyRing.Loaded(row, before.publicJwk(), row.retiredAt(now) ? null : before.signer(),
                        before.failure()));
                continue;
            }
            JWK publicJwk = publicJwk(row);
            if (row.retiredAt(now)) {
                loaded.add(new KeyRing.Loaded(row, publicJwk, null, null));
                continue;
            }
            JWSSigner signer = null;
            String failure = null;
            if (!row.kekId().equals(encryption.kekId())) {
                failure = "it is encrypted under KEK " + row.kekId() + ", this replica has KEK " + encryption.kekId();
                wrongKek.add(row.kekId());
            } else {
                try {
                    signer = open(row, publicJwk);
                } catch (KeyEncryption.KeyDecryptionException | IllegalStateException e) {
                    failure = e.getMessage();
                }
            }
            if (failure != null) {
                failure = failure.startsWith("signing key ") ? failure : "signing key " + row.kid() + ": " + failure;
                failures.add(failure);
                LOG.error("{} (this replica cannot sign with it)", failure);
            }
            loaded.add(new KeyRing.Loaded(row, publicJwk, signer, failure));
        }
        if (startup && !wrongKek.isEmpty()) {
            throw new InvalidConfigurationException(List.of(SigningKeysConfig.PREFIX + "kek: is not the KEK the"
                    + " signing keys were encrypted under (they have KEK id " + String.join(", ",
                    wrongKek.stream().distinct().toList()) + ", this KEK has id " + encryption.kekId()
                    + "); see docs/keys.md"));
        }
        if (startup && !failures.isEmpty()) {
            throw new IllegalStateException(String.join("; ", failures));
        }
        ring = new KeyRing(List.copyOf(loaded), System.nanoTime());
    }

    private JWSSigner open(StoredKey row, JWK publicJwk) {
        byte[] pkcs8 = encryption.decrypt(row.kid(), row.ciphertext());
        JWSSigner signer;
        try {
            signer = row.algorithm().signer(pkcs8);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        if (!row.kid().equals(publicJwk.getKeyID()) || !row.algorithm().jws().equals(publicJwk.getAlgorithm())
                || !row.algorithm().pairs(signer, publicJwk)) {
            throw new IllegalStateException("its private key does not match its public JWK");
        }
        return signer;
    }

    private static JWK publicJwk(StoredKey row) {
        try {
            JWK jwk = JWK.parse(row.publicJwk()).toPublicJWK();
            if (jwk == null) {
                throw new IllegalStateException("signing key " + row.kid() + ": public_jwk is not a public key");
            }
            return jwk;
        } catch (ParseException e) {
            throw new IllegalStateException("signing key " + row.kid() + ": public_jwk is not a JWK", e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String etag(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The JWKS document as served.
     *
     * @param kids the published kids, in document order
     * @param json {@code {"keys":[...]}} with public members only
     * @param etag a strong entity tag of {@code json}, quoted
     */
    public record Jwks(List<String> kids, String json, String etag) {
    }

    private record Maintenance(Optional<String> created, int deleted) {
    }
}
