package dev.gatehouse.session.keys;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gatehouse.devstack.RealServers;
import dev.gatehouse.kit.app.GatehouseApplication;
import dev.gatehouse.session.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.annotation.Property;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key lifecycle against real PostgreSQL, with a clock the test moves. */
@MicronautTest(transactional = false)
@Property(name = MutableClock.ENABLED, value = "true")
@Property(name = "gatehouse.session.keys.maintenance-interval", value = "1h")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SigningKeysTest implements RealServers {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    private static final Duration PUBLISH_AHEAD = Duration.ofHours(1);

    @Inject
    EmbeddedServer server;
    @Inject
    MutableClock clock;
    @Inject
    SigningKeys keys;
    @Inject
    TokenSigner signer;
    @Inject
    KeyEncryption encryption;
    @Inject
    SigningKeysConfig config;
    @Inject
    SigningKeyRepository repository;
    @Inject
    TransactionOperations<Connection> tx;
    private DataSource dataSource;

    @Inject
    void dataSource(DataSource transactionAware) {
        this.dataSource = DelegatingDataSource.unwrapDataSource(transactionAware);
    }

    @Override
    public String serviceName() {
        return "session-service";
    }

    /** Every test starts from a first start at a known time: exactly one key, signing. */
    @BeforeEach
    void firstStart() throws Exception {
        clock.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        sql("delete from signing_key");
        keys.ensureKey();
        keys.reload();
    }

    @Test
    void replicasStartingTogetherCreateExactlyOneKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                sql("delete from signing_key");
                var barrier = new CyclicBarrier(2);
                List<Future<Boolean>> created = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    created.add(pool.submit(() -> {
                        barrier.await();
                        return keys.ensureKey();
                    }));
                }
                assertThat(List.of(created.get(0).get(), created.get(1).get())).containsExactlyInAnyOrder(true, false);
                assertThat(rows()).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
        // a later start (or a replica) finds the key and creates none
        assertThat(keys.ensureKey()).isFalse();
        assertThat(rows()).hasSize(1);
    }

    @Test
    void thePrivateKeyIsStoredOnlyEncryptedUnderTheKek() throws Exception {
        StoredKey row = rows().getFirst();
        assertThat(row.kekId()).isEqualTo(encryption.kekId());
        assertThat(row.publicJwk()).doesNotContain("\"d\"", "\"p\"", "\"q\"");

        byte[] pkcs8 = encryption.decrypt(row.kid(), row.ciphertext());
        var privateKey = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        assertThat(privateKey.getModulus()).isEqualTo(RSAKey.parse(row.publicJwk()).getModulus().decodeToBigInteger());
        assertThat(indexOf(row.ciphertext(), privateKey.getPrivateExponent().toByteArray())).isEqualTo(-1);
        assertThat(indexOf(row.ciphertext(), pkcs8)).isEqualTo(-1);

        // another service instance with another KEK, on this database, refuses to start and says why
        var properties = new HashMap<String, Object>();
        for (String key : List.of("datasources.default.url", "datasources.default.username",
                "datasources.default.password", "redis.uri", "kafka.bootstrap.servers")) {
            properties.put(key, server.getApplicationContext().getProperty(key, String.class).orElseThrow());
        }
        properties.put("gatehouse.session.keys.kek", "q2vA3Zq8m8a3nE1hXgq7m0C2mYqkKZl8JbM2xw0c1rU=");
        String otherKekId = new KeyEncryption(java.util.Base64.getDecoder()
                .decode("q2vA3Zq8m8a3nE1hXgq7m0C2mYqkKZl8JbM2xw0c1rU=")).kekId();
        assertThat(GatehouseApplication.configurationProblems(properties)).contains("gatehouse.session.keys.kek: is"
                + " not the KEK the signing keys were encrypted under (they have KEK id " + encryption.kekId()
                + ", this KEK has id " + otherKekId + "); see docs/keys.md");

        // an altered ciphertext is not used to sign: this replica's reload reports it and signing is refused
        sql("update signing_key set private_key_ciphertext = set_byte(private_key_ciphertext, 30,"
                + " get_byte(private_key_ciphertext, 30) # 1)");
        var replica = replica(config);
        assertThatThrownBy(replica::start).hasMessageContaining("signing key " + row.kid()
                + ": the private key failed authentication");
    }

    @Test
    void aNewKeyIsPublishedBeforeItSignsAndTheOldOneStaysUntilItsTokensExpire() throws Exception {
        String first = signer.activeKid();
        String tokenOfFirst = sign();
        assertThat(SignedJWT.parse(tokenOfFirst).getHeader().getKeyID()).isEqualTo(first);
        SigningKeys otherReplica = replica(config);
        otherReplica.start();

        String next = keys.rotateNow();
        assertThat(next).isNotEqualTo(first);
        assertThat(keys.rotateNow()).as("at most one pending key").isEqualTo(next);
        StoredKey old = row(first);
        StoredKey upcoming = row(next);
        Instant activation = clock.instant().plus(PUBLISH_AHEAD);
        assertThat(upcoming.activatesAt()).isEqualTo(activation);
        assertThat(old.retiresAt()).isEqualTo(activation);
        assertThat(old.expiresAt()).isEqualTo(activation.plus(Duration.ofHours(24)).plus(Duration.ofMinutes(5)));

        // published, not yet signing: on this replica and, after its reload, on the other
        assertThat(jwks().getKeys()).extracting(k -> k.getKeyID()).containsExactly(first, next);
        assertThat(SignedJWT.parse(sign()).getHeader().getKeyID()).isEqualTo(first);
        otherReplica.reload();
        clock.set(activation.minusMillis(1));
        assertThat(signer.activeKid()).isEqualTo(first);
        assertThat(new TokenSigner(otherReplica).activeKid()).isEqualTo(first);

        // from the activation instant on, every replica signs with the new key; the old one is still published
        clock.set(activation);
        assertThat(signer.activeKid()).isEqualTo(next);
        assertThat(new TokenSigner(otherReplica).activeKid()).isEqualTo(next);
        String tokenOfNext = sign();
        assertThat(SignedJWT.parse(tokenOfNext).getHeader().getKeyID()).isEqualTo(next);
        JWKSet overlap = jwks();
        assertThat(overlap.getKeys()).extracting(k -> k.getKeyID()).containsExactly(first, next);
        assertThat(verify(tokenOfFirst, overlap).getSubject()).isEqualTo("user-1");
        assertThat(verify(tokenOfNext, overlap).getSubject()).isEqualTo("user-1");

        // until the last token it can have signed has expired; then it is gone, and deleted
        clock.set(old.expiresAt().minusMillis(1));
        assertThat(jwks().getKeys()).extracting(k -> k.getKeyID()).containsExactly(first, next);
        clock.set(old.expiresAt());
        JWKSet after = jwks();
        assertThat(after.getKeys()).extracting(k -> k.getKeyID()).containsExactly(next);
        assertThatThrownBy(() -> verify(tokenOfFirst, after)).isInstanceOf(BadJOSEException.class);
        assertThat(verify(tokenOfNext, after).getSubject()).isEqualTo("user-1");
        assertThat(keys.maintain()).isEmpty();
        assertThat(rows()).extracting(StoredKey::kid).containsExactly(next);
    }

    @Test
    void theScheduledJobCreatesTheNextKeyPublishAheadOfTheRotationAndOnlyOnce() throws Exception {
        StoredKey first = rows().getFirst();
        Instant due = first.activatesAt().plus(Duration.ofDays(30)).minus(PUBLISH_AHEAD);

        clock.set(due.minusSeconds(1));
        assertThat(keys.maintain()).isEmpty();
        assertThat(rows()).hasSize(1);

        clock.set(due);
        String next = keys.maintain().orElseThrow();
        assertThat(row(next).activatesAt()).isEqualTo(first.activatesAt().plus(Duration.ofDays(30)));
        assertThat(row(first.kid()).retiresAt()).isEqualTo(row(next).activatesAt());
        assertThat(keys.maintain()).isEmpty();
        assertThat(rows()).hasSize(2);
        assertThat(signer.activeKid()).isEqualTo(first.kid());
    }

    @Test
    void aNewAlgorithmTakesEffectAtTheNextRotation() throws Exception {
        String rsa = signer.activeKid();
        var es256 = new SigningKeysConfig(SigningAlgorithm.ES256, config.kek(), null, config.rotationPeriod(),
                config.publishAhead(), config.maxTokenLifetime(), config.reloadInterval(), config.jwksMaxAge(),
                config.maintenanceInterval());
        // a replica already running the new setting: it does not rotate early...
        SigningKeys upgraded = replica(es256);
        upgraded.start();
        assertThat(upgraded.maintain()).isEmpty();
        // ...but the next key it creates is ES256, and every replica signs with it once it is active
        String ec = upgraded.rotateNow();
        keys.reload();
        clock.advance(PUBLISH_AHEAD);
        String token = sign();
        assertThat(SignedJWT.parse(token).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(SignedJWT.parse(token).getHeader().getKeyID()).isEqualTo(ec).isNotEqualTo(rsa);
        assertThat(verify(token, jwks()).getSubject()).isEqualTo("user-1");
    }

    @Test
    void theDocumentedKekRotationKeepsOldKeysPublishedAndSignsUnderTheNewKek() throws Exception {
        String old = signer.activeKid();
        String tokenOfOld = sign();
        keys.rotateNow(); // a pending key, as there may be one

        // docs/keys.md, "Rotating the KEK", step 3 (with the test's clock for now())
        Instant now = clock.instant();
        sql("delete from signing_key where activates_at > '" + now + "'");
        sql("update signing_key set retires_at = '" + now + "', expires_at = '" + now.plus(Duration.ofHours(24))
                .plus(Duration.ofMinutes(5)) + "' where retires_at is null or retires_at > '" + now + "'");

        byte[] newKek = new byte[32];
        new java.security.SecureRandom().nextBytes(newKek);
        var newEncryption = new KeyEncryption(newKek);
        var restarted = new SigningKeys(tx, repository, newEncryption, config, clock, new SimpleMeterRegistry());
        restarted.start();
        String fresh = new TokenSigner(restarted).activeKid();
        assertThat(fresh).isNotEqualTo(old);
        assertThat(row(fresh).kekId()).isEqualTo(newEncryption.kekId());
        assertThat(row(old).kekId()).isEqualTo(encryption.kekId());
        assertThat(restarted.publishedKeys().getKeys()).extracting(k -> k.getKeyID())
                .containsExactlyInAnyOrder(old, fresh);
        keys.reload();
        assertThat(verify(tokenOfOld, jwks()).getSubject()).isEqualTo("user-1");
    }

    private SigningKeys replica(SigningKeysConfig replicaConfig) {
        return new SigningKeys(tx, repository, encryption, replicaConfig, clock, new SimpleMeterRegistry());
    }

    private String sign() {
        return signer.sign(new JWTClaimsSet.Builder().subject("user-1").issuer("https://gatehouse.test")
                .jwtID(UUID.randomUUID().toString()).expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .build(), AT_JWT);
    }

    private JWKSet jwks() throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/.well-known/jwks.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JWKSet.parse(response.body());
    }

    /** What a verifier does: the key by kid from the JWKS, the algorithm from an allow-list, typ checked. */
    private static JWTClaimsSet verify(String token, JWKSet jwks) throws Exception {
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(AT_JWT));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                new ImmutableJWKSet<>(jwks)));
        return processor.process(token, null);
    }

    private List<StoredKey> rows() {
        return tx.executeRead(status -> repository.all(status.getConnection()));
    }

    private StoredKey row(String kid) {
        return rows().stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow();
    }

    private void sql(String statement) throws Exception {
        try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
