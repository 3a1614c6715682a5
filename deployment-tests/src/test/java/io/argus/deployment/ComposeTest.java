package io.argus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.common.security.ApiKeys;
import io.argus.common.security.Roles;

class ComposeTest {

    private static final Path DEPLOY = Manifests.ROOT.resolve("deploy");

    @Test
    void dockerComposeAcceptsTheComposeFile() throws Exception {
        Path binary = Path.of("/usr/bin/docker-compose");
        if (!Files.isExecutable(binary)) {
            assertThat(System.getenv("ARGUS_REQUIRE_DOCKER_COMPOSE")).as("docker-compose is missing").isNotEqualTo("1");
            assumeTrue(false, "docker-compose is not installed; .ci/run installs it");
        }
        Process p = new ProcessBuilder(binary.toString(), "-f", DEPLOY.resolve("compose.yaml").toString(), "config", "-q")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
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
