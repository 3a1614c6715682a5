package io.argus.common.testing;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * The shadow metrics the services export, as Prometheus names them: the names the dashboard's shadow
 * panels may use. Each side is checked where a shadow really runs ({@code ShadowServingTest} in
 * inference-service, {@code ShadowPromotionTest} in the trainer: after their shadow runs, the
 * service's {@code /q/metrics} has a series of every name here), and the dashboard's queries against
 * these names ({@code DashboardTest} in deployment-tests), so a misspelt or renamed metric in a panel
 * fails without a shadow run in the end-to-end dashboard test.
 */
public final class ShadowMeters {

    /** inference-service's: the candidate it runs, what it answered, what it let go by, what it loaded. */
    public static final Set<String> INFERENCE = Set.of("argus_shadow_candidate_version", "argus_shadow_images_total",
            "argus_shadow_dropped_total", "argus_shadow_loads_total");

    /** The trainer's: a shadow window's agreement and images per version and sensor, and its decisions. */
    public static final Set<String> TRAINER = Set.of("argus_shadow_agreement", "argus_shadow_agreement_confident",
            "argus_shadow_images", "argus_shadow_decisions_total");

    /**
     * Those with no series until a candidate has run: the trainer's rows live while a window is open;
     * inference's counts are made per result and sensor, and its drop counter is registered by a bean
     * made when a candidate first hands it something. A query of these alone returns nothing from
     * services that ran no shadow.
     */
    public static final Set<String> ONLY_DURING_A_SHADOW = Set.of("argus_shadow_images_total",
            "argus_shadow_dropped_total", "argus_shadow_agreement", "argus_shadow_agreement_confident",
            "argus_shadow_images");

    private ShadowMeters() {
    }

    /** The names of the metrics with at least one series in a Prometheus text exposition ({@code /q/metrics}). */
    public static Set<String> exported(String exposition) {
        return exposition.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    }

    /** The Argus metric names a PromQL expression reads (label values in quotes left out). */
    public static Set<String> namesIn(String promql) {
        String unquoted = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        return java.util.regex.Pattern.compile("\\bargus_[a-zA-Z0-9_]+").matcher(unquoted).results()
                .map(java.util.regex.MatchResult::group).collect(Collectors.toSet());
    }
}
