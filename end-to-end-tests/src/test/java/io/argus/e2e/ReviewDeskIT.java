package io.argus.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.common.json.Json;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.topics.Topics;
import io.argus.local.testing.TopicReader;

/**
 * The review desk as a labeler uses it, in a real headless Chromium against the running stack:
 * images inference was unsure about are labeled by keyboard, leave the queue and count in the
 * label stats; undo, skip and every kind of bad input say what happened on the page; the models
 * view draws the confusion matrix. Screenshots land in target/screenshots.
 */
@ExtendWith({StackExtension.class, io.argus.common.testing.SkipRecorder.class})
class ReviewDeskIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Samples this test labeled: removed at the end, so the other tests' label-count triggers see their own. */
    private final List<String> toRemove = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void removeTheLabelsThisTestGave(ArgusStack stack) throws Exception {
        for (String id : toRemove) {
            HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl() + "/api/labels/" + id))
                    .header("X-Api-Key", ArgusStack.LABELER_KEY).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    @Test
    void aLabelerWorksThroughTheQueueByKeyboardAndSeesWhatTheModelLearned(ArgusStack stack) throws Exception {
        try (Browser browser = Browser.start(stack.root.resolve("end-to-end-tests/target/screenshots/review-desk"))) {
            // The pretrained demo model is unsure about plenty of test images: they go to review.
            TrainerApi.sendThroughIngest(stack, FashionMnist.loadSubset().test(), 600, 720, "cam-desk");
            awaitWaiting(stack, 12);

            browser.driver.get(stack.trainerUrl() + "/");
            // Without a key the queue is not shown: the page asks for one.
            browser.awaitText("message", s -> s.contains("needs a labeler key"), "the page asking for a key");
            assertThat(browser.text("item-id")).isBlank();
            browser.find("labeler").sendKeys("ana");
            browser.find("api-key").sendKeys(ArgusStack.LABELER_KEY);
            browser.driver.findElement(By.cssSelector("#who button")).click();
            String first = browser.awaitText("item-id", s -> !s.isBlank(), "an image to review");
            // The image needs the key, which <img src> cannot send: the page fetches it and shows a blob: URL.
            new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(d ->
                    ((Number) browser.script("return document.getElementById('image').naturalWidth;")).intValue() > 0);
            assertThat(browser.driver.findElement(By.id("image")).getAttribute("src")).startsWith("blob:");
            assertThat(browser.find("image-missing").isDisplayed()).isFalse();
            assertThat(browser.text("item-sensor")).isNotBlank();
            assertThat(browser.text("item-captured")).isNotBlank();
            assertThat(browser.driver.findElements(By.cssSelector("#classes button"))).hasSizeGreaterThanOrEqualTo(9);
            int samplesBefore = labelStats(stack).get("samples").asInt();
            browser.awaitText("stat-samples", s -> s.equals(String.valueOf(samplesBefore)), "the label stats");
            browser.screenshot("queue");

            // Three images by keyboard: key 1 is the model's top guess.
            List<String> labeled = new ArrayList<>();
            String current = first;
            for (int i = 0; i < 3; i++) {
                String guess = browser.driver.findElement(By.cssSelector("#classes button")).getAttribute("data-class");
                press(browser, "1");
                String was = current;
                current = browser.awaitText("item-id", s -> !s.equals(was) && !s.isBlank(), "the next image");
                labeled.add(was);
                toRemove.add(was);
                assertThat(labelOf(stack, was).get("label").asText()).isEqualTo(guess);
                assertThat(labelOf(stack, was).get("labeler").asText()).isEqualTo("e2e-labelers/ana");
            }
            assertThat(queuedIds(stack)).doesNotContainAnyElementsOf(labeled);
            browser.awaitText("stat-samples", s -> s.equals(String.valueOf(samplesBefore + 3)), "three more samples");
            assertThat(browser.text("stat-session")).isEqualTo("3");
            browser.screenshot("three-labeled");

            // Undo brings the last one back, unlabeled; skip moves on.
            press(browser, "u");
            browser.awaitText("item-id", s -> s.equals(labeled.get(2)), "the undone image back on screen");
            assertThat(status(stack, "/api/labels/" + labeled.get(2))).isEqualTo(404);
            String beforeSkip = labeled.get(2);
            press(browser, "s");
            current = browser.awaitText("item-id", s -> !s.equals(beforeSkip), "the image after the skipped one");
            assertThat(browser.text("message")).contains("Skipped " + beforeSkip);

            // A double submit is sent once.
            String doubled = current;
            toRemove.add(doubled);
            Object said = browser.script("const c = choicesFor(state.items[0])[0]; label(c); label(c);"
                    + " return document.getElementById('message').textContent;");
            assertThat((String) said).contains("already on its way").contains("recorded once");
            current = browser.awaitText("item-id", s -> !s.equals(doubled), "the image after the doubled one");
            assertThat(labelRecords(stack, doubled)).as("records of " + doubled + " on argus.labels").isEqualTo(1);

            // Someone else labeled the image on screen in the meantime.
            String taken = current;
            toRemove.add(taken);
            assertThat(labelById(stack, taken, "Bag", "bo")).isEqualTo(201);
            browser.script("label(choicesFor(state.items[0])[0]);");
            browser.awaitText("message", s -> s.contains("already labeled 'Bag' by e2e-labelers/bo"),
                    "the page saying a colleague was first");
            current = browser.awaitText("item-id", s -> !s.equals(taken), "the next image");
            assertThat(labelOf(stack, taken).get("labeler").asText()).isEqualTo("e2e-labelers/bo");

            // The image on screen went past the raw topic's retention.
            String expired = current;
            JsonNode source = queued(stack, expired).get("source");
            try (Admin admin = stack.kafka().admin("e2e-review-desk")) {
                admin.deleteRecords(Map.of(new TopicPartition(Topics.RAW, source.get("partition").asInt()),
                        RecordsToDelete.beforeOffset(source.get("offset").asLong() + 1))).all().get(30, TimeUnit.SECONDS);
            }
            press(browser, "1");
            browser.awaitText("message", s -> s.contains("past the topic's retention"), "the retention message");
            current = browser.awaitText("item-id", s -> !s.equals(expired), "the next image");
            assertThat(status(stack, "/api/labels/" + expired)).isEqualTo(404);

            // An empty class name is refused and the image stays.
            String stays = current;
            browser.find("class-name").sendKeys("   " + Keys.ENTER);
            browser.awaitText("message", s -> s.contains("class name is empty"), "the empty-name message");
            assertThat(browser.text("item-id")).isEqualTo(stays);
            browser.screenshot("bad-input");

            // The models view: versions, the current run, the confusion matrix as a heat map.
            press(browser, "m");
            new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, Duration.ofSeconds(30))
                    .until(d -> d.findElements(By.cssSelector("#confusion tbody tr")).size() >= 10);
            int rows = browser.driver.findElements(By.cssSelector("#confusion tbody tr")).size();
            assertThat(browser.driver.findElements(By.cssSelector("#confusion tbody td"))).hasSize(rows * rows);
            assertThat(browser.driver.findElements(By.cssSelector("#versions tbody tr"))).isNotEmpty();
            assertThat(browser.driver.findElements(By.cssSelector("#per-class tbody tr"))).hasSize(rows);
            assertThat(browser.driver.findElement(By.cssSelector("#confusion tbody td")).getAttribute("style"))
                    .as("a heat map").contains("background");
            browser.screenshot("models");
        }
    }

    private static void press(Browser browser, String key) {
        new Actions(browser.driver).sendKeys(key).perform();
    }

    private static void awaitWaiting(ArgusStack stack, int atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (queuedIds(stack).size() < atLeast) {
            assertThat(System.nanoTime()).as("%d images waiting for review", atLeast).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static List<String> queuedIds(ArgusStack stack) throws Exception {
        List<String> ids = new ArrayList<>();
        get(stack, "/api/review/queue?limit=200").get("items").forEach(i -> ids.add(i.get("imageId").asText()));
        return ids;
    }

    private static JsonNode queued(ArgusStack stack, String id) throws Exception {
        for (JsonNode i : get(stack, "/api/review/queue?limit=200").get("items")) {
            if (i.get("imageId").asText().equals(id)) {
                return i;
            }
        }
        throw new AssertionError(id + " is not in the review queue");
    }

    private static JsonNode labelStats(ArgusStack stack) throws Exception {
        return get(stack, "/api/labels/stats");
    }

    private static JsonNode labelOf(ArgusStack stack, String id) throws Exception {
        return get(stack, "/api/labels/" + id);
    }

    private static long labelRecords(ArgusStack stack, String id) {
        try (TopicReader labels = TopicReader.fromStart(stack.bootstrap(), Topics.LABELS)) {
            return labels.readUntilQuiet(Duration.ofSeconds(2)).stream().filter(r -> id.equals(r.key())).count();
        }
    }

    private static int labelById(ArgusStack stack, String id, String label, String labeler) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl() + "/api/labels"))
                .header("Content-Type", "application/json").header("X-Api-Key", ArgusStack.LABELER_KEY)
                .header("X-Labeler", labeler)
                .POST(HttpRequest.BodyPublishers.ofString("{\"imageId\":\"" + id + "\",\"label\":\"" + label + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static int status(ArgusStack stack, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl() + path))
                .header("X-Api-Key", ArgusStack.LABELER_KEY).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static JsonNode get(ArgusStack stack, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.trainerUrl() + path))
                .header("X-Api-Key", ArgusStack.LABELER_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }
}
