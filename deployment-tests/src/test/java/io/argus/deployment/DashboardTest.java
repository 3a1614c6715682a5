package io.argus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.common.testing.ShadowMeters;
import io.argus.common.testing.SkipRecorder;
import io.argus.common.testing.Tools;

/**
 * The Grafana dashboard's queries, without running the services. {@code DashboardIT} runs every query
 * through a real Prometheus scraping the services, but its stack runs no shadow (one would cost the
 * suite a training run and a window), so the shadow panels' queries find no series there: here they
 * are held to the names the services export while a shadow runs ({@link ShadowMeters}, which the
 * services' own shadow tests check against their {@code /q/metrics}), and promtool must parse every
 * query of the dashboard.
 */
@ExtendWith(SkipRecorder.class)
class DashboardTest {

    private static final Path DASHBOARD = Manifests.ROOT.resolve("deploy/grafana/dashboards/argus.json");

    private record Query(String panel, String expr) {
    }

    @Test
    void theShadowPanelsReadOnlyMetricsTheServicesExportWhileACandidateRunsInShadow() throws Exception {
        List<Query> shadow = queries().stream()
                .filter(q -> ShadowMeters.namesIn(q.expr()).stream().anyMatch(n -> n.startsWith("argus_shadow_")))
                .toList();
        assertThat(shadow).extracting(Query::panel).as("the panels that read shadow metrics")
                .containsOnly("Shadow agreement per sensor", "Shadow progress", "Shadow decisions");

        Set<String> exported = new HashSet<>(ShadowMeters.INFERENCE);
        exported.addAll(ShadowMeters.TRAINER);
        Set<String> used = new HashSet<>();
        for (Query q : shadow) {
            assertThat(ShadowMeters.namesIn(q.expr())).as("metrics of '%s' in panel '%s'", q.expr(), q.panel())
                    .isSubsetOf(exported);
            used.addAll(ShadowMeters.namesIn(q.expr()));
        }
        // What the panels are for: agreement with the champion per sensor, progress, decisions.
        assertThat(used).contains("argus_shadow_agreement", "argus_shadow_agreement_confident", "argus_shadow_images",
                "argus_shadow_images_total", "argus_shadow_decisions_total");
    }

    @Test
    void promtoolParsesEveryQueryOfTheDashboard(@TempDir Path dir) throws Exception {
        Optional<Path> promtool = Tools.find("ARGUS_PROMTOOL", "promtool");
        if (promtool.isEmpty()) {
            assertThat(System.getenv("ARGUS_REQUIRE_PROMETHEUS")).as("promtool is not on PATH").isNotEqualTo("1");
            assumeTrue(false, "promtool is not on PATH (Debian's prometheus package has it; .ci/run installs it)");
        }
        // Each query as a recording rule: promtool parses the expression of every rule it checks.
        List<Query> queries = queries();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      - record: dashboard_query_").append(i).append("\n        expr: ")
                    .append(new ObjectMapper().writeValueAsString(instant(queries.get(i).expr()))).append('\n');
        }
        Path file = dir.resolve("dashboard-rules.yml");
        Files.writeString(file, rules);
        Process p = new ProcessBuilder(promtool.get().toString(), "check", "rules", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check rules on the dashboard's %d queries: %s", queries.size(), output)
                .isZero();
        assertThat(output).contains(queries.size() + " rules found");
    }

    private static List<Query> queries() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(panel.path("title").asText(), target.path("expr").asText()));
            }
        }
        assertThat(queries).as("queries in %s", DASHBOARD).hasSizeGreaterThan(20);
        return queries;
    }

    /** Grafana's interval variables filled in, as Prometheus takes the query ({@code DashboardIT} does the same). */
    private static String instant(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__range", "1h").replace("$__interval", "15s");
    }
}
