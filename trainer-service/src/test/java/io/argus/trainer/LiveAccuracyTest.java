package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static io.restassured.config.JsonConfig.jsonConfig;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.argus.common.dataset.FashionMnist;
import io.restassured.RestAssured;
import io.restassured.path.json.config.JsonPathConfig;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Labels joined to the results that were served, on a real broker: the registry and the metrics show them. */
@QuarkusTest
@QuarkusTestResource(value = LiveTestResource.class, restrictToAnnotatedClass = true)
class LiveAccuracyTest {

    @Test
    void labelsGivenForServedResultsGiveTheServingVersionItsLiveAccuracyPerSensor() throws Exception {
        var images = FashionMnist.loadSubset().test();
        // v1 served four images: three on cam-live-a (said Bag), one on cam-live-b (said Coat).
        for (int i = 0; i < 3; i++) {
            TrainerKafka.classified("live-a-" + i, images.png(100 + i), "cam-live-a", 1, "Bag", 0.9);
        }
        TrainerKafka.classified("live-b-0", images.png(110), "cam-live-b", 1, "Coat", 0.7);

        // People say: two of cam-live-a's were bags, one was a sandal; cam-live-b's was a coat.
        label("live-a-0", "Bag");
        label("live-a-1", "Bag");
        label("live-a-2", "Sandal");
        label("live-b-0", "Coat");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().config(RestAssured.config()
                        .jsonConfig(jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE)))
                .get("/api/models/1").then().statusCode(200)
                .body("live.n", equalTo(4))
                .body("live.correct", equalTo(3))
                .body("live.accuracy", closeTo(0.75, 1e-9))
                // Wilson 95%, 3 of 4: [0.3006, 0.9544].
                .body("live.lower", closeTo(0.3006, 5e-4))
                .body("live.upper", closeTo(0.9544, 5e-4))
                .body("live.sensors.find { it.sensorId == 'cam-live-a' }.n", equalTo(3))
                .body("live.sensors.find { it.sensorId == 'cam-live-a' }.correct", equalTo(2))
                .body("live.sensors.find { it.sensorId == 'cam-live-b' }.accuracy", closeTo(1.0, 1e-9)));

        // Correcting a label replaces it: not a fifth label.
        label("live-a-2", "Bag");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/models/1").then()
                .body("live.n", equalTo(4)).body("live.correct", equalTo(4)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("argus_live_accuracy{sensor=\"cam-live-a\",version=\"1\"} 1.0"))
                .body(containsString("argus_live_labels{sensor=\"(all)\",version=\"1\"} 4.0")));
    }

    private static void label(String imageId, String label) {
        given().contentType("application/json").body("{\"imageId\":\"" + imageId + "\",\"label\":\"" + label + "\"}")
                .post("/api/labels").then().statusCode(201);
    }
}
