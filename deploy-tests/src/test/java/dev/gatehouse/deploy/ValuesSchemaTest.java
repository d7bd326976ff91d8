package dev.gatehouse.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** values.schema.json and the chart's own checks refuse bad values before anything reaches a cluster. */
class ValuesSchemaTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            services.identity.replicas                          | -1
            image.tag                                           | ''
            image.tag                                           | 'latest tag'
            probes.readiness.path                               | /ready
            probes.liveness.path                                | /health/readiness
            services.session.replica                            | 3
            services.gateway.resources.limits.memory            | lots
            services.tenant.port                                | 80
            services.identity.autoscaling.targetCPUUtilizationPercentage | 150
            kafka.securityProtocol                              | TLS
            kafka.bootstrapServers                              | kafka
            redis.uri                                           | http://redis:6379
            securityContext.readOnlyRootFilesystem              | false
            securityContext.allowPrivilegeEscalation            | true
            podSecurityContext.runAsNonRoot                     | false
            services.session.keys.kek                           | not-32-bytes
            services.tenant.keys.invitationSigningKey           | not-32-bytes
            services.tenant.keys.signingKey                     | x
            publicUrl                                           | https://id.example.com/
            postgresql.parameters                               | ?sslmode=require
            networkPolicy.enabled                               | maybe
            """)
    void theSchemaRefuses(String key, String value) {
        Object typed = value.matches("-?\\d+") ? Integer.valueOf(value)
                : value.equals("true") || value.equals("false") ? Boolean.valueOf(value) : value;

        assertThatThrownBy(() -> Chart.render("minimal", key, typed))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(key.substring(key.lastIndexOf('.') + 1));
    }

    @Test
    void theSameKeysWithGoodValuesRender() {
        String rendered = Chart.render("minimal", "services.identity.replicas", 0, "image.tag", "1.2.3",
                "probes.readiness.path", "/health", "services.tenant.port", 9083, "kafka.securityProtocol", "SSL",
                "services.session.keys.kek", "qqXM+ZZ1p5dlzK1cNm2z9qBd0h6gPpTQ0Gfr8c7YLW0=",
                "services.tenant.keys.invitationSigningKey", "JUzuBojuyHz6UubTDnoobqcG5dca2Tf+MuHcaqLXRJg=",
                "publicUrl", "https://id.example.com/auth");

        assertThat(rendered).contains("image: gatehouse/tenant-service:1.2.3", "containerPort: 9083");
    }

    @Test
    void theDefaultImageTagIsTheServicesVersion() throws Exception {
        String pom = Files.readString(Chart.REPO.resolve("pom.xml"));
        String version = pom.replaceFirst("(?s).*?<artifactId>gatehouse</artifactId>\\s*<version>([^<]+)</version>.*",
                "$1");
        String chart = Files.readString(Chart.DIR.resolve("Chart.yaml"));
        String values = Files.readString(Chart.DIR.resolve("values.yaml"));

        assertThat(chart).contains("appVersion: \"" + version + "\"");
        assertThat(values).contains("tag: \"" + version + "\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            minReplicas above maxReplicas    | services.gateway.autoscaling.minReplicas  | 30 | minReplicas (30) is above maxReplicas
            admin without a password         | services.identity.bootstrapAdmin.username | root | bootstrapAdmin: username is set but password is empty
            SASL without credentials         | kafka.securityProtocol                    | SASL_SSL | kafka.sasl: securityProtocol SASL_SSL needs
            a database without credentials   | services.tenant.database.username         | '' | services.tenant.database: set username/password or existingSecret
            """)
    void theChartRefusesInconsistentValues(String what, String key, String value, String message) {
        Object typed = value.matches("\\d+") ? Integer.valueOf(value) : value;

        assertThatThrownBy(() -> Chart.render("minimal", key, typed)).hasMessageContaining(message);
    }
}
