package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.testing.TestSettings;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Guards against a poisoned training set: a label vocabulary and a rate limit per labeler. */
@QuarkusTest
@QuarkusTestResource(value = TestSettings.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "argus.trainer.labels.vocabulary", value = "Bag,Coat"),
        @ResourceArg(name = "argus.trainer.labels.max-per-minute", value = "3")})
@QuarkusTestResource(value = TrainingTestResource.class, restrictToAnnotatedClass = true)
class LabelGuardsTest {

    @Test
    void labelsOutsideTheVocabularyAreRefusedAndALabelerPastTheLimitGets429() throws Exception {
        byte[] png = FashionMnist.loadSubset().test().png(1);

        given().multiPart("file", "a.png", png, "image/png").multiPart("label", "Sandal").multiPart("labeler", "eve")
                .post("/api/labels").then().statusCode(400).body("code", equalTo("LABEL_NOT_IN_VOCABULARY"))
                .body("message", containsString("[Bag, Coat]"));

        for (int i = 0; i < 3; i++) {
            given().multiPart("file", "a.png", png, "image/png").multiPart("label", "Bag").multiPart("labeler", "eve")
                    .post("/api/labels").then().statusCode(201);
        }
        given().multiPart("file", "a.png", png, "image/png").multiPart("label", "Bag").multiPart("labeler", "eve")
                .post("/api/labels").then().statusCode(429).body("code", equalTo("RATE_LIMITED"));
        given().multiPart("file", "a.png", png, "image/png").multiPart("label", "Coat").multiPart("labeler", "max")
                .post("/api/labels").then().statusCode(201);
    }
}
