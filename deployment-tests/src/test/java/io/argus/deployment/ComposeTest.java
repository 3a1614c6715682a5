package io.argus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.common.security.ApiKeys;
import io.argus.common.security.Roles;
import io.argus.common.testing.SkipRecorder;
import io.argus.common.testing.Tools;

@ExtendWith(SkipRecorder.class)
class ComposeTest {

    private static final Path DEPLOY = Manifests.ROOT.resolve("deploy");

    @Test
    void dockerComposeAcceptsTheComposeFile() throws Exception {
        List<String> compose = composeCommand();
        if (compose.isEmpty()) {
            assertThat(System.getenv("ARGUS_REQUIRE_DOCKER_COMPOSE")).as("neither docker-compose nor 'docker compose' "
                    + "is on PATH").isNotEqualTo("1");
            assumeTrue(false, "neither docker-compose nor the 'docker compose' plugin is on PATH; .ci/run installs "
                    + "docker-compose");
        }
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of("-f", DEPLOY.resolve("compose.yaml").toString(), "config", "-q"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    /**
     * How Compose is run here: {@code docker-compose} (Compose v1, or v2's standalone binary) on
     * PATH, else Compose v2 as Docker's plugin ({@code docker compose}) when {@code docker compose
     * version} works; empty when neither is there. {@code ARGUS_DOCKER_COMPOSE} names a binary.
     */
    static List<String> composeCommand() throws Exception {
        Optional<Path> standalone = Tools.find("ARGUS_DOCKER_COMPOSE", "docker-compose");
        if (standalone.isPresent()) {
            return List.of(standalone.get().toString());
        }
        Optional<Path> docker = Tools.find(null, "docker");
        if (docker.isPresent()) {
            Process version = new ProcessBuilder(docker.get().toString(), "compose", "version").redirectErrorStream(true)
                    .start();
            version.getInputStream().readAllBytes();
            if (version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0) {
                return List.of(docker.get().toString(), "compose");
            }
        }
        return List.of();
    }

    @Test
    void everyBuiltImageHasItsDockerfileAndEveryServicePortIsTheOneItListensOn() throws IOException {
        JsonNode services = Manifests.YAML.readTree(DEPLOY.resolve("compose.yaml").toFile()).path("services");
        Set<String> built = new HashSet<>();
        services.fields().forEachRemaining(e -> {
            JsonNode build = e.getValue().path("build");
            if (!build.isMissingNode()) {
                Path context = DEPLOY.resolve(build.path("context").asText()).normalize();
                assertThat(context.resolve(build.path("dockerfile").asText())).as(e.getKey()).exists();
                built.add(e.getKey());
            }
        });
        // The offline commands (topics, pretrain) run from the one tools image that topics builds.
        assertThat(built).contains("ingest", "inference", "trainer", "topics");
        assertThat(services.path("pretrain").path("image").asText()).isEqualTo(services.path("topics").path("image").asText());
        for (String service : new String[] {"ingest", "inference", "trainer"}) {
            String port = httpPort(service);
            assertThat(services.path(service).path("ports").get(0).asText()).isEqualTo("127.0.0.1:" + port + ":" + port);
            // API keys come from a compose secret (a file the operator makes from keys.example).
            assertThat(services.path(service).path("secrets").toString()).as(service).contains("argus-keys");
            assertThat(services.path(service).path("environment").path("ARGUS_SECURITY_KEYS_FILE").asText())
                    .isEqualTo("/run/secrets/argus-keys");
        }
        assertThat(DEPLOY.resolve("keys.example")).exists();
    }

    @Test
    void inferenceDownloadsBundlesWithTheModelReaderKeyOfTheKeysFile() throws IOException {
        JsonNode inference = Manifests.YAML.readTree(DEPLOY.resolve("compose.yaml").toFile()).path("services")
                .path("inference");
        ApiKeys example = ApiKeys.read(DEPLOY.resolve("keys.example"));

        String name = inference.path("environment").path("ARGUS_INFERENCE_MODEL_API_KEY_NAME").asText();
        assertThat(name).as("the key inference sends for bundles").isNotBlank();
        assertThat(example.named(name)).as(name + " in keys.example").isPresent();
        assertThat(example.named(name).get().roles()).containsExactly(Roles.MODEL_READER);
        // Every role has its key in the example, so a copy of it is a working keys file.
        assertThat(Roles.ALL).allMatch(role -> Stream.of("field-cameras", "labelers", "operators", name)
                .anyMatch(n -> example.named(n).map(k -> k.roles().contains(role)).orElse(false)));
    }

    @Test
    void prometheusScrapesEveryServiceAndGrafanaKnowsTheDashboardsDatasource() throws IOException {
        JsonNode prometheus = Manifests.YAML.readTree(DEPLOY.resolve("prometheus/prometheus.yml").toFile());
        Set<String> targets = new HashSet<>();
        for (JsonNode job : prometheus.path("scrape_configs")) {
            assertThat(job.path("metrics_path").asText()).isEqualTo("/q/metrics");
            job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText())));
        }
        assertThat(targets).containsExactlyInAnyOrder("ingest:" + httpPort("ingest"), "inference:" + httpPort("inference"),
                "trainer:" + httpPort("trainer"));

        JsonNode datasource = Manifests.YAML.readTree(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yaml")
                .toFile()).path("datasources").get(0);
        JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/dashboards/argus.json").toFile());
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo(datasource.path("uid").asText());
        }
    }

    @Test
    void theDashboardShowsTheLagTheGroupHasCommittedNotWhatItsConsumersHaveRead() throws IOException {
        // The consumer's records_lag read 0 while a batch failed to commit forever (issue 15).
        JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/dashboards/argus.json").toFile());
        Set<String> exprs = new HashSet<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        assertThat(exprs).noneMatch(e -> e.contains("kafka_consumer_fetch_manager_records_lag"));
        assertThat(exprs).anyMatch(e -> e.contains("argus_inference_lag_records"));
    }

    private static String httpPort(String service) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(Manifests.ROOT.resolve(service + "-service/src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p.getProperty("quarkus.http.port");
    }
}
