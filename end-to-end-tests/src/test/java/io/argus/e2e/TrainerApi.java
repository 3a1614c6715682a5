package io.argus.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.common.contract.Classification;
import io.argus.common.json.Json;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.dataset.SimulatedCameras;

/** What the learning tests do as a labeler would: send images, pick the unsure ones, label them, follow runs. */
final class TrainerApi {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TrainerApi() {
    }

    /** Sends test images {@code from..to} through ingest; their ids with the true labels. */
    static Map<String, String> sendThroughIngest(ArgusStack stack, LabeledImages images, int from, int to,
                                                 String sensor) throws Exception {
        return sendThroughIngest(stack, images, from, to, sensor, false);
    }

    /**
     * Sends test images {@code from..to} through ingest, as a camera with inverted contrast would
     * when {@code inverted}; their ids with the true labels.
     */
    static Map<String, String> sendThroughIngest(ArgusStack stack, LabeledImages images, int from, int to,
                                                 String sensor, boolean inverted) throws Exception {
        Map<String, String> truth = new HashMap<>();
        for (int i = from; i < to; i++) {
            byte[] png = inverted ? SimulatedCameras.png(SimulatedCameras.invert(images.image(i))) : images.png(i);
            HttpResponse<String> r = StreamEndToEndIT.post(stack.ingestUrl() + "/api/images", png, sensor);
            truth.put(Json.mapper().readTree(r.body()).get("imageId").asText(),
                    FashionMnist.LABELS.get(images.labels()[i]));
        }
        return truth;
    }

    /** The share of these images (of those the ledger has results for) classified with their true label. */
    static double accuracy(Ledger ledger, Map<String, String> truth) {
        List<Classification> results = ledger.results.values().stream().filter(c -> truth.containsKey(c.imageId()))
                .toList();
        long right = results.stream().filter(c -> c.label().equals(truth.get(c.imageId()))).count();
        return (double) right / results.size();
    }

    /** Their classifications, least confident first. */
    static List<Classification> leastConfidentFirst(ArgusStack stack, Map<String, String> truth) {
        return leastConfidentFirst(Ledger.read(stack.bootstrap(), truth.keySet(), Duration.ofSeconds(90)), truth);
    }

    /** Their classifications in a ledger read before, least confident first. */
    static List<Classification> leastConfidentFirst(Ledger ledger, Map<String, String> truth) {
        return ledger.results.values().stream().filter(c -> truth.containsKey(c.imageId()))
                .sorted(Comparator.comparingDouble(Classification::confidence)).toList();
    }

    /** Labels these images with their true labels through {@code POST /api/labels/batch}. */
    static HttpResponse<String> label(ArgusStack stack, Map<String, String> truth, List<Classification> which,
                                      String labeler) throws Exception {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode labels = body.putArray("labels");
        which.forEach(c -> labels.addObject().put("imageId", c.imageId()).put("label", truth.get(c.imageId())));
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl() + "/api/labels/batch"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ArgusStack.LABELER_KEY).header("X-Labeler", labeler)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET /api/models/{version}}: one version's view (its shadow, its live accuracy). */
    static JsonNode model(ArgusStack stack, int version) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl() + "/api/models/"
                + version)).header("X-Api-Key", ArgusStack.LABELER_KEY).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /api/models/" + version + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.mapper().readTree(r.body());
    }

    /** {@code GET /api/training-runs}: newest first. */
    static List<JsonNode> runs(ArgusStack stack) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl() + "/api/training-runs"))
                .header("X-Api-Key", ArgusStack.LABELER_KEY).build(), HttpResponse.BodyHandlers.ofString());
        return StreamSupport.stream(Json.mapper().readTree(r.body()).spliterator(), false).toList();
    }
}
