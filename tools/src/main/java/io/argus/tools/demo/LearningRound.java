package io.argus.tools.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.common.json.Json;

/**
 * The demo's second act: people label what the model was least sure about, the trainer learns
 * from it by itself, and inference switches to the new version if it is better. Everything goes
 * through the public REST APIs, as a labeling tool would.
 */
final class LearningRound {

    /**
     * How long labels may go without starting a run: the trainer starts one within a second of the
     * labels that reach its trigger, or as soon as the run in progress ends.
     */
    private static final Duration NO_RUN_AFTER = Duration.ofSeconds(60);

    private final DemoOptions options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LearningRound(DemoOptions options) {
        this.options = options;
    }

    /** Labels, follows the run, waits for the swap; returns the version served afterwards, or -1. */
    int run(Tally tally) throws Exception {
        // Half the labels go where the model is least sure (they teach it most), half to images
        // picked at random: a held-out split made only of near coin flips would make the gate's
        // comparison of candidate and champion a coin flip too.
        List<Tally.Scored> pick = pick(tally, options.label(), List.of(), 42);
        if (pick.isEmpty()) {
            System.out.println("Nothing was classified, so there is nothing to label.");
            return -1;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(options.learnTimeoutSeconds()).toNanos();
        int runsBefore = get("/api/training-runs").size();
        if (!label(pick)) {
            return -1;
        }
        long labeledAt = System.nanoTime();
        JsonNode run = follow(runsBefore, deadline);
        List<Tally.Scored> labeled = new ArrayList<>(pick);
        // As people at the desk would, up to twice: the gate asked for more labels of the camera (a fifth
        // of the labels is held out by the hash of each image's id, so 50 labels can leave fewer than the
        // five it needs to judge the camera), so the same number again, which starts the next run as the first did.
        for (int more = 1; run != null && asksForMoreLabels(run) && more <= 2; more++) {
            System.out.printf(Locale.ROOT, "%nThe gate asks for more labels of the new camera; its labelers give %d more.%n",
                    options.label());
            List<Tally.Scored> next = pick(tally, options.label(), labeled, 42 + more);
            if (next.isEmpty()) {
                System.out.println("Every image of the new camera is labeled already.");
                break;
            }
            runsBefore = get("/api/training-runs").size();
            if (!label(next)) {
                return -1;
            }
            labeledAt = System.nanoTime();
            labeled.addAll(next);
            run = follow(runsBefore, deadline);
        }
        if (run == null) {
            return -1;
        }
        JsonNode decision = run.path("result").path("decision");
        if (!decision.path("status").asText().equals("PROMOTED")) {
            return served();
        }
        int version = run.path("result").path("version").asInt();
        long decided = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (served() == version) {
                long now = System.nanoTime();
                System.out.printf(Locale.ROOT, "Inference now serves v%d: %.1f s from the labels to the new version"
                        + " served (swapped %.1f s after the decision, between two batches).%n", version,
                        (now - labeledAt) / 1e9, (now - decided) / 1e9);
                return version;
            }
            Thread.sleep(250);
        }
        System.out.println("Inference did not switch to v" + version + " in time.");
        return served();
    }

    /** {@code n} images not labeled yet: half those the model was least sure about, half at random. */
    private static List<Tally.Scored> pick(Tally tally, int n, List<Tally.Scored> labeled, long seed) {
        List<Tally.Scored> unsure = tally.leastConfident((n + 1) / 2, labeled);
        List<Tally.Scored> exclude = new ArrayList<>(labeled);
        exclude.addAll(unsure);
        List<Tally.Scored> pick = new ArrayList<>(unsure);
        pick.addAll(tally.randomOthers(n - unsure.size(), exclude, seed));
        if (!pick.isEmpty()) {
            long wrong = pick.stream().filter(s -> !s.predicted().equals(s.trueLabel())).count();
            System.out.printf(Locale.ROOT, "%nLabeling %d images with their true labels: the %d the model was least sure "
                    + "about (confidence %.2f to %.2f) and %d picked at random; the model had %d of them wrong.%n",
                    pick.size(), unsure.size(), unsure.get(0).confidence(), unsure.get(unsure.size() - 1).confidence(),
                    pick.size() - unsure.size(), wrong);
        }
        return pick;
    }

    /** Sends the labels through the trainer's REST API, as a labeling tool would; false if it refused them. */
    private boolean label(List<Tally.Scored> pick) throws Exception {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode labels = body.putArray("labels");
        pick.forEach(s -> labels.addObject().put("imageId", s.imageId()).put("label", s.trueLabel()));
        System.out.println("POST " + options.trainerUrl() + "/api/labels/batch");
        long start = System.nanoTime();
        HttpResponse<String> labeled = http.send(ApiKey.with(HttpRequest.newBuilder(URI.create(options.trainerUrl()
                        + "/api/labels/batch")), ApiKey.LABELER).header("Content-Type", "application/json")
                .header("X-Labeler", "demo")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (labeled.statusCode() != 201) {
            System.out.println("The trainer refused the labels: HTTP " + labeled.statusCode() + " " + labeled.body());
            return false;
        }
        System.out.printf(Locale.ROOT, "The trainer stored the %d labels in %.1f s (each image's record read back "
                + "from Kafka by its id).%n", pick.size(), (System.nanoTime() - start) / 1e9);
        JsonNode stats = get("/api/labels/stats");
        System.out.printf("Training set: %d labeled samples, %d new since the last model.%n",
                stats.path("samples").asInt(), stats.path("newSinceLastModel").asInt());
        return true;
    }

    /**
     * Follows the training run the labels started, printing each change, and then its decision and the
     * gate's table; null if none started or it did not finish in time.
     */
    private JsonNode follow(int runsBefore, long deadline) throws Exception {
        JsonNode run = null;
        String last = "";
        long startBy = System.nanoTime() + NO_RUN_AFTER.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode runs = get("/api/training-runs");
            if (runs.size() <= runsBefore && System.nanoTime() > startBy) {
                System.out.printf(Locale.ROOT, "No training run started in %d s. The trainer starts one by itself once "
                        + "argus.trainer.trigger.every-labels new labels (50 by default) have come since its last run; "
                        + "an admin can start one at once (POST %s/api/training-runs).%n", NO_RUN_AFTER.toSeconds(),
                        options.trainerUrl());
                return null;
            }
            if (runs.size() > runsBefore) {
                run = runs.get(0);
                String line = describe(run);
                if (!line.equals(last)) {
                    System.out.println(line);
                    last = line;
                }
                String phase = run.path("phase").asText();
                if (phase.equals("DONE") || phase.equals("FAILED") || phase.equals("CANCELLED")) {
                    break;
                }
            } else if (last.isEmpty()) {
                last = "waiting";
                System.out.println("Waiting for the trainer to start a run by itself ...");
            }
            Thread.sleep(1000);
        }
        if (run == null || !run.path("phase").asText().equals("DONE")) {
            System.out.println(run == null ? "No training run started." : "The run did not finish: " + run.path("error").asText());
            return null;
        }
        JsonNode decision = run.path("result").path("decision");
        System.out.printf("Candidate v%d: %s (%s)%n", run.path("result").path("version").asInt(),
                decision.path("status").asText(), decision.path("reason").asText());
        gateTable(run.path("result").path("gate"));
        return run;
    }

    /** The gate's "too little evidence" for a slice with new labels: a rejection that says how many more labels would do. */
    private static boolean asksForMoreLabels(JsonNode run) {
        JsonNode decision = run.path("result").path("decision");
        return decision.path("status").asText().equals("REJECTED")
                && decision.path("reason").asText().contains("more labels");
    }

    /** The gate's judgement, slice by slice: what the candidate did for every camera and class. */
    static void gateTable(JsonNode gate) {
        if (gate.isMissingNode() || gate.isNull()) {
            return;
        }
        System.out.println();
        System.out.println("The gate, slice by slice (" + gate.path("method").asText() + ")");
        System.out.printf(Locale.ROOT, "%-28s %6s %9s %9s %8s %18s  %s%n", "slice", "n", "champion", "candidate",
                "change", "95% interval", "verdict");
        for (JsonNode s : gate.path("slices")) {
            System.out.printf(Locale.ROOT, "%-28s %6d %9s %9s %8s %18s  %s%n",
                    s.path("name").asText() + (s.path("targeted").asBoolean() ? " *" : ""), s.path("n").asInt(),
                    percent(s.path("champion")), percent(s.path("candidate")), points(s.path("difference")),
                    s.path("lower").isNull() || s.path("lower").isMissingNode() ? ""
                            : "[" + points(s.path("lower")) + ", " + points(s.path("upper")) + "]",
                    s.path("verdict").asText());
        }
        System.out.println("(* the run had new labels there: the candidate must improve it; points are accuracy %)");
    }

    private static String percent(JsonNode x) {
        return x.isNull() || x.isMissingNode() ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * x.asDouble());
    }

    private static String points(JsonNode x) {
        return x.isNull() || x.isMissingNode() ? "" : String.format(Locale.ROOT, "%+.1f", 100 * x.asDouble());
    }

    private static String describe(JsonNode run) {
        StringBuilder b = new StringBuilder(String.format("Training run %s (%s): %s", run.path("id").asText(),
                run.path("trigger").asText(), run.path("phase").asText()));
        if (run.hasNonNull("trainSamples")) {
            b.append(String.format(Locale.ROOT, ", %d train / %d validation / %d held-out samples",
                    run.path("trainSamples").asInt(), run.path("validationSamples").asInt(),
                    run.path("testSamples").asInt()));
        }
        if (run.hasNonNull("epoch") && !run.path("phase").asText().equals("DONE")) {
            b.append(String.format(Locale.ROOT, ", epoch %d/%d, loss %.3f", run.path("epoch").asInt(),
                    run.path("maxEpochs").asInt(), run.path("loss").asDouble()));
            if (run.hasNonNull("validationAccuracy")) {
                b.append(String.format(Locale.ROOT, ", validation accuracy %.2f", run.path("validationAccuracy").asDouble()));
            }
            if (run.hasNonNull("etaSeconds")) {
                b.append(String.format(Locale.ROOT, ", at most %.0f s to go", run.path("etaSeconds").asDouble()));
            }
        }
        return b.toString();
    }

    private int served() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(options.inferenceUrl() + "/q/health/ready"))
                .build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode check : Json.mapper().readTree(r.body()).path("checks")) {
            if (check.path("name").asText().equals("model")) {
                return check.path("data").path("version").asInt(-1);
            }
        }
        return -1;
    }

    /** A read of the trainer's API: runs and label stats are for people, so with the labeler key. */
    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(ApiKey.with(HttpRequest.newBuilder(URI.create(options.trainerUrl() + path)),
                ApiKey.LABELER).build(), HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body());
    }
}
