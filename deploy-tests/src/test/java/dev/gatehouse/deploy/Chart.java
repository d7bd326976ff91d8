package dev.gatehouse.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The chart in helm/gatehouse, rendered offline by helm-java (Helm 3 as a native library). */
final class Chart {
    static final Path REPO = findRepo();
    static final Path DIR = REPO.resolve("helm/gatehouse");
    /** The value sets every rendering test runs with: the chart's defaults and the two files in helm/gatehouse/ci. */
    static final Map<String, Path> VALUE_SETS = Map.of(
            "default", Path.of(""),
            "minimal", DIR.resolve("ci/minimal-values.yaml"),
            "production", DIR.resolve("ci/production-values.yaml"));
    static final String KUBE_VERSION = "1.31.0";
    static final String RELEASE = "gh";
    static final String NAMESPACE = "gatehouse";
    /** The four services: key in values.services -> module (image name, component label). */
    static final Map<String, String> SERVICES = Map.of("identity", "identity-service", "session", "session-service",
            "tenant", "tenant-service", "gateway", "gateway-edge");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private Chart() {
    }

    private static Path findRepo() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("helm/gatehouse"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("helm/gatehouse not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** helm template with the named value set plus --set pairs (key, value, key, value...). */
    static String render(String valueSet, Object... sets) {
        return render(DIR, valueSet, sets);
    }

    static String render(Path chartDir, String valueSet, Object... sets) {
        TemplateCommand template = new Helm(chartDir).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        Path values = VALUE_SETS.get(valueSet);
        if (values == null) {
            throw new IllegalArgumentException("no value set " + valueSet);
        }
        if (!values.toString().isEmpty()) {
            template = template.withValuesFile(values);
        }
        for (int i = 0; i < sets.length; i += 2) {
            template = template.set((String) sets[i], sets[i + 1]);
        }
        return template.call();
    }

    /** Each YAML document of a rendering, as raw text (comment-only documents left out). */
    static List<String> documents(String rendered) {
        List<String> documents = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(rendered)) {
            boolean content = document.lines().map(String::strip)
                    .anyMatch(line -> !line.isEmpty() && !line.startsWith("#"));
            if (content) {
                documents.add(document);
            }
        }
        return documents;
    }

    /** Each document as a typed Kubernetes object (a GenericKubernetesResource for kinds fabric8 has no model of). */
    static List<HasMetadata> manifests(String rendered) {
        return documents(rendered).stream().map(Chart::parse).toList();
    }

    static HasMetadata parse(String document) {
        Object parsed = SERIALIZATION.unmarshal(document);
        if (!(parsed instanceof HasMetadata resource)) {
            throw new AssertionError("not a Kubernetes object: " + parsed + "\n" + document);
        }
        return resource;
    }

    static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> manifests, Class<T> kind) {
        return manifests.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    static <T extends HasMetadata> T named(List<HasMetadata> manifests, Class<T> kind, String name) {
        return ofKind(manifests, kind).stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
    }

    /** The name of every object of a service, e.g. gh-gatehouse-identity. */
    static String objectName(String serviceKey) {
        return RELEASE + "-gatehouse-" + serviceKey;
    }
}
