package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.argus.common.dataset.FashionMnist;
import io.quarkus.test.common.QuarkusTestResource;
import io.restassured.builder.MultiPartSpecBuilder;
import io.restassured.specification.MultiPartSpecification;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What careless and hostile labelers do to a training set: one class typed with an invisible
 * character, or with another case, becomes two; a run that should not go on cannot be stopped.
 * Only REST, so the same specification can be run against any version of the trainer.
 */
@QuarkusTest
@QuarkusTestResource(value = TrainingTestResource.class, restrictToAnnotatedClass = true)
class LabelHygieneTest {

    @Test
    void aLabelWithInvisibleCharactersIsTheClassItLooksLike() throws Exception {
        byte[] png = FashionMnist.loadSubset().test().png(11);

        given().multiPart("file", "a.png", png, "image/png").multiPart(text("label", "Bag\u200B"))
                .post("/api/labels").then().statusCode(201).body("label", equalTo("Bag"));
        given().multiPart("file", "a.png", png, "image/png").multiPart(text("label", "\uFEFF  Bag \u200D"))
                .post("/api/labels").then().statusCode(201).body("label", equalTo("Bag"));

        given().get("/api/labels/stats").then().body("perClass", hasKey("Bag"))
                .body("perClass", not(hasKey("Bag\u200B")));
    }

    @Test
    void aLabelThatDiffersFromAClassOnlyByCaseOrSpacingIsRefusedUnlessItIsMeantAsANewClass() throws Exception {
        byte[] png = FashionMnist.loadSubset().test().png(12);
        given().multiPart("file", "a.png", png, "image/png").multiPart("label", "Ankle boot")
                .post("/api/labels").then().statusCode(201);

        given().multiPart("file", "a.png", png, "image/png").multiPart("label", "ankle  BOOT")
                .post("/api/labels").then().statusCode(409).body("code", equalTo("LOOKS_LIKE_A_CLASS"))
                .body("message", containsString("Ankle boot"));
        given().multiPart("file", "a.png", png, "image/png").multiPart("label", "Ankle  boot")
                .post("/api/labels").then().statusCode(201).body("label", equalTo("Ankle boot"));
        given().multiPart("file", "a.png", png, "image/png").multiPart("label", "ankle boot")
                .multiPart("newClass", "true").post("/api/labels").then().statusCode(201)
                .body("label", equalTo("ankle boot"));
    }

    /** A form field as UTF-8 text: RestAssured's default charset would turn invisible characters into '?'. */
    private static MultiPartSpecification text(String name, String value) {
        return new MultiPartSpecBuilder(value).controlName(name).charset(StandardCharsets.UTF_8).build();
    }

    @Test
    void aRunningRunCanBeCancelledAndStoresNothing() throws Exception {
        byte[] png = FashionMnist.loadSubset().test().png(13);
        for (int i = 0; i < 12; i++) {
            given().multiPart("file", "a.png", png, "image/png").multiPart("label", i % 2 == 0 ? "Coat" : "Shirt")
                    .post("/api/labels").then().statusCode(201);
        }
        int versions = given().get("/api/models").then().extract().jsonPath().getList("$").size();
        String id = RunSteps.startRun("{\"strategy\":\"scratch\",\"maxEpochs\":500,\"minSteps\":100000}");

        given().delete("/api/training-runs/" + id).then().statusCode(200);

        await().atMost(Duration.ofMinutes(2)).until(() -> List.of("CANCELLED", "FAILED", "DONE")
                .contains(given().get("/api/training-runs/" + id).<String>path("phase")));
        assertThat(given().get("/api/training-runs/" + id).<String>path("phase")).isEqualTo("CANCELLED");
        assertThat(given().get("/api/models").then().extract().jsonPath().getList("$")).hasSize(versions);
        given().delete("/api/training-runs/" + id).then().statusCode(409);
    }
}
