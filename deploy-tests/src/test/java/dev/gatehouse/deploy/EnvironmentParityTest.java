package dev.gatehouse.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dev platform (devstack's Cluster), the Helm chart and docker/compose.yaml configure the services with the same
 * environment variables: a variable the platform starts passing must reach Kubernetes and Compose too.
 */
class EnvironmentParityTest {
    /** What only the local platform sets: loopback binding and the dev environment. */
    private static final Set<String> DEV_ONLY = Set.of("MICRONAUT_SERVER_HOST", "MICRONAUT_ENVIRONMENTS");
    private static final Pattern ENV_NAME = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\"");

    @Test
    void everyVariableTheDevPlatformSetsIsSetByTheChartAndByCompose() throws IOException {
        Set<String> platform = new TreeSet<>();
        for (String source : List.of("Cluster.java", "BootstrapAdmin.java")) {
            Matcher names = ENV_NAME.matcher(Files.readString(
                    Chart.REPO.resolve("devstack/src/main/java/dev/gatehouse/devstack/" + source)));
            while (names.find()) {
                platform.add(names.group(1));
            }
        }
        platform.removeAll(DEV_ONLY);
        assertThat(platform).contains("DATASOURCES_DEFAULT_URL", "REDIS_URI", "KAFKA_BOOTSTRAP_SERVERS",
                "GATEHOUSE_GATEWAY_UPSTREAMS_TENANT", "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD");

        Set<String> chart = new TreeSet<>();
        chartEnvironment().values().forEach(chart::addAll);
        Set<String> compose = new TreeSet<>();
        composeEnvironment().values().forEach(compose::addAll);

        assertThat(chart).as("the chart's variables").containsAll(platform);
        assertThat(compose).as("docker/compose.yaml's variables").containsAll(platform);
    }

    @Test
    void composeGivesEachServiceNothingTheChartDoesNot() throws IOException {
        Map<String, Set<String>> chart = chartEnvironment();
        Map<String, Set<String>> compose = composeEnvironment();

        assertThat(compose.keySet()).containsExactlyInAnyOrderElementsOf(Chart.SERVICES.values());
        compose.forEach((module, names) -> assertThat(chart.get(module)).as(module).containsAll(names));
    }

    /** Variable names per module: ConfigMap keys plus the Deployment's env, with every optional feature on. */
    private static Map<String, Set<String>> chartEnvironment() {
        List<HasMetadata> manifests = Chart.manifests(Chart.render("production",
                "services.session.keys.kekAsFile", false));
        Map<String, Set<String>> byModule = new HashMap<>();
        Chart.SERVICES.forEach((key, module) -> {
            Set<String> names = new TreeSet<>(Chart.named(manifests, ConfigMap.class, Chart.objectName(key))
                    .getData().keySet());
            Chart.named(manifests, Deployment.class, Chart.objectName(key)).getSpec().getTemplate().getSpec()
                    .getContainers().getFirst().getEnv().stream().map(EnvVar::getName).forEach(names::add);
            byModule.put(module, names);
        });
        return byModule;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Set<String>> composeEnvironment() throws IOException {
        Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(Chart.REPO.resolve("docker/compose.yaml")));
        Map<String, Set<String>> byModule = new HashMap<>();
        ((Map<String, Map<String, Object>>) compose.get("services")).forEach((name, service) -> {
            if (Chart.SERVICES.containsValue(name)) {
                byModule.put(name, new TreeSet<>(((Map<String, Object>) service.get("environment")).keySet()));
                assertThat(service).as(name).containsEntry("read_only", true)
                        .containsEntry("cap_drop", List.of("ALL"));
            }
        });
        return byModule;
    }
}
