package dev.gatehouse.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Renders the chart with the default, minimal and production-like values and checks what a cluster would get. */
class ChartRenderTest {
    private static final Map<String, Integer> HEALTH_PORTS = Map.of("identity", 8081, "session", 8082, "tenant", 8083,
            "gateway", 8084);

    @ParameterizedTest
    @ValueSource(strings = {"default", "minimal", "production"})
    void everyManifestIsATypedKubernetesObjectWithoutUnknownFields(String values) {
        List<HasMetadata> manifests = Chart.manifests(Chart.render(values));

        assertThat(manifests).isNotEmpty();
        for (HasMetadata manifest : manifests) {
            String what = manifest.getKind() + " " + manifest.getMetadata().getName();
            if (manifest instanceof GenericKubernetesResource generic) {
                assertThat(generic.getApiVersion()).as(what + " is not a built-in kind")
                        .isEqualTo("monitoring.coreos.com/v1");
                checkServiceMonitor(generic);
            } else {
                assertThat(UnknownFields.of(manifest)).as("unknown fields in " + what).isEmpty();
            }
            assertThat(manifest.getMetadata().getName()).as(what).hasSizeLessThanOrEqualTo(63)
                    .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        }
    }

    /** The Prometheus Operator's CRD has no model here: only its known fields are allowed. */
    private static void checkServiceMonitor(GenericKubernetesResource monitor) {
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        assertThat(monitor.getAdditionalProperties()).containsOnlyKeys("spec");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        assertThat(spec).containsOnlyKeys("selector", "endpoints");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");
        assertThat(endpoints).allSatisfy(e -> {
            assertThat(e).containsOnlyKeys("port", "path", "interval", "scrapeTimeout");
            assertThat(e.get("path")).isEqualTo("/prometheus");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "minimal", "production"})
    void eachServiceHasItsObjectsProbesResourcesAndANonRootReadOnlyContainer(String values) {
        List<HasMetadata> manifests = Chart.manifests(Chart.render(values));

        for (var service : Chart.SERVICES.entrySet()) {
            String name = Chart.objectName(service.getKey());
            Deployment deployment = Chart.named(manifests, Deployment.class, name);
            Chart.named(manifests, Service.class, name);
            Chart.named(manifests, ConfigMap.class, name);
            Chart.named(manifests, ServiceAccount.class, name);
            Chart.named(manifests, NetworkPolicy.class, name);
            PodDisruptionBudget pdb = Chart.named(manifests, PodDisruptionBudget.class, name);
            HorizontalPodAutoscaler hpa = Chart.named(manifests, HorizontalPodAutoscaler.class, name);

            var podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
            assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(name);
            assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
            assertThat(hpa.getSpec().getMinReplicas()).isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
            assertThat(deployment.getSpec().getReplicas()).as("the HPA owns the replica count").isNull();

            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getContainers()).hasSize(1);
            Container container = pod.getContainers().getFirst();
            assertThat(container.getImage()).contains("/" + service.getValue() + ":");
            int healthPort = HEALTH_PORTS.get(service.getKey());
            assertThat(container.getPorts()).extracting(ContainerPort::getContainerPort).contains(healthPort);
            checkProbe(container.getStartupProbe(), "/health/liveness", healthPort, name);
            checkProbe(container.getReadinessProbe(), "/health/readiness", healthPort, name);
            checkProbe(container.getLivenessProbe(), "/health/liveness", healthPort, name);

            var resources = container.getResources();
            for (String resource : List.of("cpu", "memory")) {
                assertThat(resources.getRequests()).as(name + " requests").containsKey(resource);
                assertThat(resources.getLimits()).as(name + " limits").containsKey(resource);
                assertThat(Quantity.getAmountInBytes(resources.getLimits().get(resource)))
                        .as(name + " " + resource + " limit >= request")
                        .isGreaterThanOrEqualTo(Quantity.getAmountInBytes(resources.getRequests().get(resource)));
            }

            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as(name).isPositive();
            var security = container.getSecurityContext();
            assertThat(security.getRunAsNonRoot()).as(name).isTrue();
            assertThat(security.getReadOnlyRootFilesystem()).as(name).isTrue();
            assertThat(security.getAllowPrivilegeEscalation()).as(name).isFalse();
            assertThat(security.getCapabilities().getDrop()).as(name).containsExactly("ALL");
            assertThat(security.getCapabilities().getAdd()).as(name).isNullOrEmpty();
            assertThat(container.getVolumeMounts()).as(name + ": /tmp is the writable path")
                    .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            assertThat(pod.getTopologySpreadConstraints()).extracting(c -> c.getTopologyKey())
                    .contains("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        }
    }

    private static void checkProbe(Probe probe, String path, int port, String name) {
        assertThat(probe).as(name + " probe " + path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(name).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getIntVal()).as(name + " probe port").isEqualTo(port);
    }

    /** The production values give every credential inline (S3cret...) so that this can look for them everywhere. */
    @Test
    void noSecretValueLandsInAConfigMapOrAPlainEnvironmentVariable() throws Exception {
        String productionValues = Files.readString(Chart.VALUE_SETS.get("production"), StandardCharsets.UTF_8);
        List<String> secrets = new ArrayList<>();
        Matcher inline = Pattern.compile(
                "(?m)(?:password|clientSecret|kek|hashKey|cookieKey|invitationSigningKey|uri):\\s*\"?([^\"\\s]+)")
                .matcher(productionValues);
        while (inline.find()) {
            secrets.add(inline.group(1));
        }
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(9);
        List<HasMetadata> manifests = Chart.manifests(Chart.render("production"));

        for (ConfigMap configMap : Chart.ofKind(manifests, ConfigMap.class)) {
            String data = String.valueOf(configMap.getData());
            for (String secret : secrets) {
                assertThat(data).as("ConfigMap " + configMap.getMetadata().getName()).doesNotContain(secret);
            }
            assertThat(configMap.getData().keySet()).as("ConfigMap " + configMap.getMetadata().getName())
                    .noneMatch(k -> k.matches(
                            ".*(PASSWORD|SECRET|_KEK|HASH_KEY|COOKIE_KEY|SIGNING_KEY|REDIS_URI|USERNAME).*")
                            && !k.endsWith("_FILE"));
        }
        for (Deployment deployment : Chart.ofKind(manifests, Deployment.class)) {
            for (EnvVar env : deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv()) {
                if (env.getValue() != null) {
                    for (String secret : secrets) {
                        assertThat(env.getValue()).as(env.getName()).doesNotContain(secret);
                    }
                }
                if (env.getName().matches(
                        ".*(PASSWORD|CLIENT_SECRET|_KEK|HASH_KEY|COOKIE_KEY|SIGNING_KEY|REDIS_URI).*")) {
                    assertThat(env.getValueFrom()).as(env.getName() + " comes from a Secret").isNotNull();
                    assertThat(env.getValueFrom().getSecretKeyRef()).as(env.getName()).isNotNull();
                }
            }
        }
        // and the values are where they belong: the chart's Secrets
        StringBuilder secretData = new StringBuilder();
        for (Secret secret : Chart.ofKind(manifests, Secret.class)) {
            secret.getData().values().forEach(v ->
                    secretData.append(new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)).append('\n'));
        }
        assertThat(secretData.toString()).contains("S3cret-admin-password", "S3cret-google-client-secret",
                "S3cret-redis-password", inlineValue(productionValues, "invitationSigningKey"));
    }

    private static String inlineValue(String values, String key) {
        Matcher value = Pattern.compile("(?m)^\\s*" + key + ":\\s*\"?([^\"\\s]+)").matcher(values);
        assertThat(value.find()).as(key + " in the production values").isTrue();
        return value.group(1);
    }

    @Test
    void secretReferencesPointAtTheChartsSecretOrTheGivenExistingSecret() {
        List<HasMetadata> manifests = Chart.manifests(Chart.render("production"));
        Set<String> chartSecrets = Set.copyOf(Chart.ofKind(manifests, Secret.class).stream()
                .map(s -> s.getMetadata().getName()).toList());
        Map<String, Secret> byName = new java.util.HashMap<>();
        Chart.ofKind(manifests, Secret.class).forEach(s -> byName.put(s.getMetadata().getName(), s));

        for (Deployment deployment : Chart.ofKind(manifests, Deployment.class)) {
            for (EnvVar env : deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv()) {
                if (env.getValueFrom() == null || env.getValueFrom().getSecretKeyRef() == null) {
                    continue;
                }
                var ref = env.getValueFrom().getSecretKeyRef();
                if (chartSecrets.contains(ref.getName())) {
                    assertThat(byName.get(ref.getName()).getData()).as(env.getName()).containsKey(ref.getKey());
                } else {
                    assertThat(ref.getName()).as(env.getName()).isIn("gatehouse-identity-db", "gatehouse-session-db",
                            "gatehouse-tenant-db", "gatehouse-kafka", "gatehouse-bootstrap-secrets");
                }
            }
        }
        var identity = Chart.named(manifests, Deployment.class, Chart.objectName("identity"));
        assertThat(envNames(identity)).contains("DATASOURCES_DEFAULT_USERNAME", "DATASOURCES_DEFAULT_PASSWORD",
                "REDIS_URI", "GATEHOUSE_KAFKA_SASL_USERNAME", "GATEHOUSE_KAFKA_SASL_PASSWORD", "KAFKA_SASL_JAAS_CONFIG",
                "GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME", "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD",
                "GATEHOUSE_IDENTITY_SMTP_PASSWORD", "GATEHOUSE_IDENTITY_PROVIDERS_GOOGLE_CLIENT_SECRET",
                "ACME_ADMIN_CLIENT_SECRET");
        var session = Chart.named(manifests, Deployment.class, Chart.objectName("session"));
        assertThat(envNames(session)).contains("GATEHOUSE_SESSION_HASH_KEY", "GATEHOUSE_SESSION_COOKIE_KEY")
                .doesNotContain("GATEHOUSE_SESSION_KEYS_KEK");
        var sessionConfig = Chart.named(manifests, ConfigMap.class, Chart.objectName("session")).getData();
        assertThat(sessionConfig).containsEntry("GATEHOUSE_SESSION_KEYS_KEK_FILE", "/etc/gatehouse/kek/kek")
                .containsEntry("GATEHOUSE_SESSION_ISSUER", "https://id.example.com");
        assertThat(session.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getSecret()).isNotNull()
                        .satisfies(s -> assertThat(s.getItems().getFirst().getPath()).isEqualTo("kek")));
        var tenant = Chart.named(manifests, Deployment.class, Chart.objectName("tenant"));
        assertThat(secretRef(tenant, "GATEHOUSE_TENANT_INVITATIONS_SIGNING_KEY"))
                .isEqualTo(Chart.objectName("tenant") + "/invitation-signing-key");
        assertThat(Chart.named(manifests, ConfigMap.class, Chart.objectName("tenant")).getData())
                .as("tenant-service verifies tokens of session-service's issuer")
                .containsEntry("GATEHOUSE_TENANT_AUTH_ISSUER", sessionConfig.get("GATEHOUSE_SESSION_ISSUER"));
    }

    @Test
    void theTenantKeyComesFromTheExistingSecretWhenOneIsGiven() {
        List<HasMetadata> manifests = Chart.manifests(Chart.render("production",
                "services.tenant.keys.existingSecret", "gatehouse-tenant-keys"));

        var tenant = Chart.named(manifests, Deployment.class, Chart.objectName("tenant"));
        assertThat(secretRef(tenant, "GATEHOUSE_TENANT_INVITATIONS_SIGNING_KEY"))
                .isEqualTo("gatehouse-tenant-keys/invitation-signing-key");
        assertThat(Chart.ofKind(manifests, Secret.class)).allSatisfy(secret ->
                assertThat(secret.getData()).as(secret.getMetadata().getName())
                        .doesNotContainKey("invitation-signing-key"));
    }

    /** "secret/key" of a variable the Deployment takes from a Secret. */
    private static String secretRef(Deployment deployment, String name) {
        EnvVar env = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + deployment.getMetadata().getName()));
        assertThat(env.getValueFrom()).as(name + " comes from a Secret").isNotNull();
        var ref = env.getValueFrom().getSecretKeyRef();
        assertThat(ref).as(name).isNotNull();
        return ref.getName() + "/" + ref.getKey();
    }

    private static List<String> envNames(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .map(EnvVar::getName).toList();
    }

    @Test
    void theGatewayRoutesToTheServicesThroughTheirServices() {
        List<HasMetadata> manifests = Chart.manifests(Chart.render("default"));
        Map<String, String> gateway = Chart.named(manifests, ConfigMap.class, Chart.objectName("gateway")).getData();

        for (String upstream : List.of("identity", "session", "tenant")) {
            Service service = Chart.named(manifests, Service.class, Chart.objectName(upstream));
            int port = service.getSpec().getPorts().getFirst().getPort();
            assertThat(gateway).containsEntry("GATEHOUSE_GATEWAY_UPSTREAMS_" + upstream.toUpperCase(),
                    "http://" + service.getMetadata().getName() + ":" + port);
            Map<String, String> config = Chart.named(manifests, ConfigMap.class, Chart.objectName(upstream)).getData();
            assertThat(config).containsEntry("MICRONAUT_SERVER_PORT", String.valueOf(port));
            assertThat(config.get("DATASOURCES_DEFAULT_URL")).startsWith("jdbc:postgresql://postgresql:5432/gatehouse_");
        }
        assertThat(gateway).containsEntry("ENDPOINTS_ALL_PORT", "8084").containsEntry("MICRONAUT_SERVER_PORT", "8080");
    }

    @Test
    void sessionAndTenantServiceReachEachOtherThroughTheirServices() {
        List<HasMetadata> manifests = Chart.manifests(Chart.render("default", "services.session.port", 9082,
                "services.tenant.port", 9083));
        Service session = Chart.named(manifests, Service.class, Chart.objectName("session"));
        Service tenant = Chart.named(manifests, Service.class, Chart.objectName("tenant"));

        assertThat(Chart.named(manifests, ConfigMap.class, Chart.objectName("tenant")).getData())
                .containsEntry("GATEHOUSE_TENANT_AUTH_JWKS_URI", "http://" + session.getMetadata().getName() + ":"
                        + session.getSpec().getPorts().getFirst().getPort() + "/.well-known/jwks.json")
                .containsEntry("GATEHOUSE_TENANT_AUTH_ISSUER", "http://127.0.0.1:8080");
        assertThat(Chart.named(manifests, ConfigMap.class, Chart.objectName("session")).getData())
                .containsEntry("GATEHOUSE_SESSION_TENANT_URL", "http://" + tenant.getMetadata().getName() + ":"
                        + tenant.getSpec().getPorts().getFirst().getPort());
        assertThat(session.getSpec().getPorts().getFirst().getPort()).isEqualTo(9082);
    }

    @Test
    void onlyTheGatewaysPublicPortIsOpenToEveryoneAndTheIngressNeverReachesTheManagementPort() {
        List<HasMetadata> manifests = Chart.manifests(Chart.render("default", "ingress.enabled", true));

        NetworkPolicy gateway = Chart.named(manifests, NetworkPolicy.class, Chart.objectName("gateway"));
        List<NetworkPolicyIngressRule> rules = gateway.getSpec().getIngress();
        assertThat(rules).filteredOn(r -> r.getFrom() == null || r.getFrom().isEmpty())
                .singleElement().satisfies(open -> assertThat(open.getPorts()).singleElement()
                        .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("http")));
        for (String service : List.of("identity", "session", "tenant")) {
            NetworkPolicy policy = Chart.named(manifests, NetworkPolicy.class, Chart.objectName(service));
            assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
            assertThat(policy.getSpec().getIngress()).allSatisfy(rule -> {
                assertThat(rule.getFrom()).as(service + ": every rule names its sources").isNotEmpty();
                assertThat(rule.getFrom()).allSatisfy(peer -> {
                    assertThat(peer.getIpBlock()).isNull();
                    assertThat(peer.getPodSelector().getMatchLabels())
                            .containsEntry("app.kubernetes.io/instance", Chart.RELEASE);
                    assertThat(peer.getPodSelector().getMatchExpressions().getFirst().getValues())
                            .containsExactlyInAnyOrder("gateway-edge", "identity-service", "session-service",
                                    "tenant-service");
                });
            });
        }
        Ingress ingress = Chart.ofKind(manifests, Ingress.class).getFirst();
        var backends = ingress.getSpec().getRules().stream().flatMap(r -> r.getHttp().getPaths().stream())
                .map(p -> p.getBackend().getService()).toList();
        assertThat(backends).allSatisfy(b -> {
            assertThat(b.getName()).isEqualTo(Chart.objectName("gateway"));
            assertThat(b.getPort().getName()).isEqualTo("http");
        });
        assertThat(Chart.ofKind(manifests, Service.class)).filteredOn(s -> !s.getMetadata().getName()
                .equals(Chart.objectName("gateway"))).allSatisfy(s -> assertThat(s.getSpec().getType())
                .isEqualTo("ClusterIP"));
    }

    @Test
    void productionValuesAddTheOptionalObjects() {
        List<HasMetadata> manifests = Chart.manifests(Chart.render("production"));

        assertThat(Chart.ofKind(manifests, Ingress.class)).singleElement().satisfies(i ->
                assertThat(i.getSpec().getTls().getFirst().getSecretName()).isEqualTo("id-example-com-tls"));
        assertThat(Chart.ofKind(manifests, GenericKubernetesResource.class)).hasSize(4)
                .allSatisfy(m -> assertThat(m.getKind()).isEqualTo("ServiceMonitor"));
        assertThat(Chart.named(manifests, HorizontalPodAutoscaler.class, Chart.objectName("gateway")).getSpec()
                .getMaxReplicas()).isEqualTo(20);
        assertThat(Chart.named(manifests, Secret.class, Chart.RELEASE + "-gatehouse-bootstrap").getData())
                .containsKey("bootstrap.yaml");
        for (String service : Chart.SERVICES.keySet()) {
            Deployment deployment = Chart.named(manifests, Deployment.class, Chart.objectName(service));
            assertThat(deployment.getSpec().getTemplate().getSpec().getImagePullSecrets()).isNotEmpty();
            assertThat(Chart.named(manifests, ConfigMap.class, Chart.objectName(service)).getData())
                    .containsEntry("GATEHOUSE_BOOTSTRAP_FILE", "/etc/gatehouse/bootstrap/bootstrap.yaml")
                    .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        }
    }

    @Test
    void withAutoscalingOffTheDeploymentCarriesTheReplicaCount() {
        List<HasMetadata> manifests = Chart.manifests(Chart.render("minimal",
                "services.tenant.autoscaling.enabled", false, "services.tenant.replicas", 3));

        assertThat(Chart.named(manifests, Deployment.class, Chart.objectName("tenant")).getSpec().getReplicas())
                .isEqualTo(3);
        assertThat(Chart.ofKind(manifests, HorizontalPodAutoscaler.class)).extracting(h -> h.getMetadata().getName())
                .doesNotContain(Chart.objectName("tenant"));
    }
}
