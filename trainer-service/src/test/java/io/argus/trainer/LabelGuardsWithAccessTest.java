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

/**
 * The guards of the training set hold with access control on, as deployed: the label rate limit
 * counts per API key, whatever person the client claims to be (one key that names a new labeler in
 * every request, X-Labeler, does not get a new allowance each time), and a label outside the
 * vocabulary is refused whoever gives it.
 */
@QuarkusTest
@QuarkusTestResource(value = TestSettings.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "argus.trainer.labels.max-per-minute", value = "3"),
        @ResourceArg(name = "argus.trainer.labels.max-per-minute-per-key", value = "5"),
        @ResourceArg(name = "argus.trainer.labels.vocabulary", value = "Bag,Coat,Sandal")})
@QuarkusTestResource(value = AccessTest.WithKeys.class, restrictToAnnotatedClass = true)
class LabelGuardsWithAccessTest {

    @Test
    void aKeyCannotWriteMoreLabelsByChangingTheLabelerHeader() throws Exception {
        byte[] png = FashionMnist.loadSubset().test().png(14);
        String key = AccessTest.WithKeys.KEYS.get("labeler");
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", "Bearer " + key).header("X-Labeler", "person-" + i)
                    .multiPart("file", "a.png", png, "image/png").multiPart("label", "Bag")
                    .post("/api/labels").then().statusCode(201);
        }
        given().header("Authorization", "Bearer " + key).header("X-Labeler", "yet-another-person")
                .multiPart("file", "a.png", png, "image/png").multiPart("label", "Bag")
                .post("/api/labels").then().statusCode(429).body("code", equalTo("RATE_LIMITED"))
                .body("message", containsString("API key"));
        given().header("Authorization", "Bearer " + AccessTest.WithKeys.KEYS.get("admin"))
                .multiPart("file", "a.png", png, "image/png").multiPart("label", "Bag")
                .post("/api/labels").then().statusCode(201);
    }

    @Test
    void aLabelOutsideTheVocabularyIsRefusedEvenToAnAdmin() throws Exception {
        byte[] png = FashionMnist.loadSubset().test().png(15);
        given().header("Authorization", "Bearer " + AccessTest.WithKeys.KEYS.get("admin"))
                .header("X-Labeler", "vocabulary-check")
                .multiPart("file", "a.png", png, "image/png").multiPart("label", "Kangaroo")
                .post("/api/labels").then().statusCode(400).body("code", equalTo("LABEL_NOT_IN_VOCABULARY"));
        given().header("Authorization", "Bearer " + AccessTest.WithKeys.KEYS.get("admin"))
                .header("X-Labeler", "vocabulary-check")
                .multiPart("file", "a.png", png, "image/png").multiPart("label", "Coat")
                .post("/api/labels").then().statusCode(201);
    }
}
