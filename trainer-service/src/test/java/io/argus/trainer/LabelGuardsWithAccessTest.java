package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.argus.common.dataset.FashionMnist;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The guards of the training set hold with access control on, as deployed: the label rate limit
 * counts per API key, whatever person the client claims to be (one key that names a new labeler in
 * every request, X-Labeler, does not get a new allowance each time), and a label outside the
 * vocabulary is refused whoever gives it.
 */
@QuarkusTest
@TestProfile(LabelGuardsWithAccessTest.Limited.class)
@QuarkusTestResource(value = AccessTest.WithKeys.class, restrictToAnnotatedClass = true)
class LabelGuardsWithAccessTest {

    public static class Limited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("argus.trainer.labels.max-per-minute", "3", "argus.trainer.labels.max-per-minute-per-key",
                    "5", "argus.trainer.labels.vocabulary", "Bag,Coat,Sandal");
        }
    }

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
