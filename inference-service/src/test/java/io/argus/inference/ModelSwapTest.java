package io.argus.inference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.model.StoredModel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = InferenceTestResource.class, restrictToAnnotatedClass = true)
class ModelSwapTest {

    @Test
    void aBundleThatFailsItsChecksumIsRefusedCountedAndTheChampionKeepsServingUntilAGoodOneComes() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> ServiceProbe.servedVersion() == 1);

        StoredModel v2 = new io.argus.common.model.ModelStore(InferenceTestResource.store())
                .save(BrightnessModel.bundle("argus", 2, -5.0));
        ModelEvent tampered = ModelEvent.about(v2, ModelStatus.PROMOTED, "tampered").sha256("0".repeat(64)).build();
        InferenceTestResource.announce(tampered);

        await().atMost(Duration.ofSeconds(30)).until(() -> ServiceProbe.metric("argus_model_swaps_total{outcome=\"failed\"") >= 1);
        assertThat(ServiceProbe.servedVersion()).isEqualTo(1);

        InferenceTestResource.announce(v2, ModelStatus.PROMOTED);
        await().atMost(Duration.ofSeconds(30)).until(() -> ServiceProbe.servedVersion() == 2);
        // No wait: the swap is counted, and the gauge reads the model readiness names, once v2 is served.
        assertThat(ServiceProbe.metric("argus_model_swaps_total{outcome=\"success\"")).isGreaterThanOrEqualTo(2);
        assertThat(ServiceProbe.metric("argus_model_version")).isEqualTo(2.0);
        // v2 was trained the other way round: white is now "dark".
        given().contentType("image/png").body(InferenceStreamTest.png(java.awt.Color.WHITE)).post("/api/classify")
                .then().statusCode(200).body("label", org.hamcrest.Matchers.equalTo("dark"))
                .body("modelVersion", org.hamcrest.Matchers.equalTo(2));

        InferenceTestResource.announce(new io.argus.common.model.ModelStore(InferenceTestResource.store())
                .find(new io.argus.common.model.ModelId("argus", 1)).orElseThrow(), ModelStatus.RESTORED);
        await().atMost(Duration.ofSeconds(30)).until(() -> ServiceProbe.servedVersion() == 1);
    }
}
