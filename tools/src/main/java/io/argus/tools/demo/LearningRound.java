package io.argus.tools.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.common.json.Json;
import java.util.ArrayList;

/**
 * The demo's second act: people label what the model was least sure about, the trainer learns
 * from it by itself, and inference switches to the new version if it is better. Everything goes
 * through the public REST APIs, as a labeling tool would.
 */
final class LearningRound {

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
        int unsureCount = (options.label() + 1) / 2;
        List<Tally.Scored> unsure = tally.leastConfident(unsureCount);
        List<Tally.Scored> pick = new ArrayList<>(unsure);
        pick.addAll(tally.randomOthers(options.label() - unsure.size(), unsure, 42));
        if (pick.isEmpty()) {
            System.out.println("Nothing was classified, so there is nothing to label.");
            return -1;
        }
        long wrong = pick.stream().filter(s -> !s.predicted().equals(s.trueLabel())).count();
        System.out.println();
        System.out.printf(Locale.ROOT, "Labeling %d images with their true labels: the %d the model was least sure about "
                        + "(confidence %.2f to %.2f) and %d picked at random; the model had %d of them wrong. "
                        + "POST %s/api/labels/batch%n", pick.size(), unsure.size(), unsure.get(0).confidence(),
                unsure.get(unsure.size() - 1).confidence(), pick.size() - unsure.size(), wrong, options.trainerUrl());
        int runsBefore = get("/api/training-runs").size();
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode labels = body.putArray("labels");
        pick.forEach(s -> labels.addObject().put("imageId", s.imageId()).put("label", s.trueLabel()));
        HttpResponse<String> labeled = http.send(ApiKey.with(HttpRequest.newBuilder(URI.create(options.trainerUrl()
                        + "/api/labels/batch")), ApiKey.LABELER).header("Content-Type", "application/json")
                .header("X-Labeler", "demo")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (labeled.statusCode() != 201) {
            System.out.println("The trainer refused the labels: HTTP " + labeled.statusCode() + " " + labeled.body());
            return -1;
        }
        long labeledAt = System.nanoTime();
        JsonNode stats = get("/api/labels/stats");
        System.out.printf("Training set: %d labeled samples, %d new since the last model.%n",
                stats.path("samples").asInt(), stats.path("newSinceLastModel").asInt());

        long deadline = System.nanoTime() + Duration.ofSeconds(options.learnTimeoutSeconds()).toNanos();
        JsonNode run = null;
        String last = "";
        while (System.nanoTime() < deadline) {
            JsonNode runs = get("/api/training-runs");
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
            return -1;
        }
        JsonNode decision = run.path("result").path("decision");
        int version = run.path("result").path("version").asInt();
        System.out.printf("Candidate v%d: %s (%s)%n", version, decision.path("status").asText(),
                decision.path("reason").asText());
        gateTable(run.path("result").path("gate"));
        if (!decision.path("status").asText().equals("PROMOTED")) {
            return served();
        }
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
