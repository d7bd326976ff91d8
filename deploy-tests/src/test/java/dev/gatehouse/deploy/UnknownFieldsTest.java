package dev.gatehouse.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnknownFieldsTest {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: demo
            spec:
              %s
              selector:
                matchLabels: {app: demo}
              template:
                metadata:
                  labels: {app: demo}
                spec:
                  containers:
                    - name: demo
                      image: demo:1
                      %s:
                        httpGet: {path: /health/readiness, port: 8080}
            """;

    @Test
    void aCleanManifestHasNone() {
        assertThat(UnknownFields.of(Chart.parse(DEPLOYMENT.formatted("replicas: 2", "readinessProbe")))).isEmpty();
    }

    @Test
    void misspelledFieldsAreReportedWithTheirPath() {
        var deployment = Chart.parse(DEPLOYMENT.formatted("replica: 2", "readinessProbes"));

        assertThat(UnknownFields.of(deployment)).containsExactlyInAnyOrder("spec.replica",
                "spec.template.spec.containers[0].readinessProbes");
    }
}
