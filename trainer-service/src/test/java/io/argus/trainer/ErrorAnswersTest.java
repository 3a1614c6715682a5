package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Every error the trainer answers is the one JSON body with a code and a message: its own refusals,
 * the framework's (no such path, wrong method, a path parameter that is not a number) and request
 * bodies that are not the JSON expected. And the API is described at /q/openapi with that body.
 */
@QuarkusTest
@QuarkusTestResource(value = TrainerTestResource.class, restrictToAnnotatedClass = true)
class ErrorAnswersTest {

    @Test
    void bodiesThatAreNotTheJsonExpectedAre400WithWhereAndWhat() {
        answeredInvalidJson("/api/labels", "{\"imageId\":123,\"label\":[\"Bag\"]}", containsString("label"));
        answeredInvalidJson("/api/labels/batch", "{\"labels\":\"x\"}", containsString("labels"));
        answeredInvalidJson("/api/labels", "{\"imageId\":\"a\",\"lab", notNullValue());
        answeredInvalidJson("/api/review/items/x/label", "{\"label\":[\"Bag\"]}", containsString("label"));
        answeredInvalidJson("/api/training-runs", "{\"maxEpochs\":2,\"maxEpoch\":3}", containsString("maxEpoch"));
    }

    /** A JSON body posted to {@code path} is answered 400 INVALID_JSON, in JSON, with such a message. */
    private static void answeredInvalidJson(String path, String body, Matcher<?> message) {
        given().contentType(ContentType.JSON).body(body).post(path).then().statusCode(400).contentType(ContentType.JSON)
                .body("code", equalTo("INVALID_JSON")).body("message", message);
    }

    @Test
    void unknownPathsWrongMethodsAndBadPathParametersAreJsonToo() {
        given().get("/api/no-such-thing").then().statusCode(404).contentType(ContentType.JSON)
                .body("code", equalTo("NOT_FOUND"));
        given().get("/api/models/abc").then().statusCode(404).contentType(ContentType.JSON)
                .body("code", equalTo("NOT_FOUND"));
        given().post("/api/models/abc/promote").then().statusCode(404).contentType(ContentType.JSON)
                .body("code", equalTo("NOT_FOUND"));
        given().urlEncodingEnabled(false).post("/api/models/../1/rollback").then().statusCode(404)
                .contentType(ContentType.JSON).body("code", equalTo("NOT_FOUND"));
        given().get("/api/models/99").then().statusCode(404).contentType(ContentType.JSON)
                .body("code", equalTo("UNKNOWN_VERSION"));
        given().delete("/api/models").then().statusCode(405).contentType(ContentType.JSON)
                .body("code", equalTo("METHOD_NOT_ALLOWED"));
    }

    @Test
    void theApiIsDescribedWithTheErrorBodyAndTheApiKeyScheme() {
        given().accept(ContentType.JSON).get("/q/openapi?format=json").then().statusCode(200)
                .body("components.schemas", hasKey("ErrorBody"))
                .body("components.securitySchemes", hasKey("apiKey"))
                .body("paths", hasKey("/api/labels"))
                .body("paths.'/api/labels/batch'.post.responses", hasKey("default"))
                .body("paths.'/api/models/{version}/promote'.post.security[0]", hasKey("apiKey"));
    }
}
