package io.argus.trainer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.argus.common.dataset.FashionMnist;
import io.argus.common.testing.EveryEndpoint;
import io.argus.common.testing.TestKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * With access control on, as deployed: every endpoint the trainer has answers as the table of
 * docs/access.md says (walked by {@link EveryEndpoint}: 401 with a challenge without a key, 403 to
 * each role that may not, through for each that may); every read (queued images and their bytes,
 * the review queue, labels and who gave them, label stats, training runs, model metadata and
 * bundles) answers 200 to the roles that may, on things that exist. Health, metrics, the OpenAPI
 * document and the review desk's page stay open.
 */
@QuarkusTest
@QuarkusTestResource(value = AccessTest.WithKeys.class, restrictToAnnotatedClass = true)
class AccessTest {

    /** The trainer test resource with access control on and one key per role. */
    public static class WithKeys extends TrainerTestResource {

        static final Map<String, String> KEYS = TestKeys.KEYS;

        @Override
        protected Map<String, String> settings(Path store) {
            return with(super.settings(store), TestKeys.accessControlOn());
        }
    }

    /** A read and the roles that may do it; every other role gets 403. */
    private record Read(String path, Set<String> may) {
    }

    private static final Set<String> PEOPLE = Set.of("labeler", "admin");

    private static List<Read> reads(String queued, String labeled, String run) {
        return List.of(
                new Read("/api/review/queue", PEOPLE),
                new Read("/api/review/items/" + queued + "/image", PEOPLE),
                new Read("/api/labels/stats", PEOPLE),
                new Read("/api/labels/" + labeled, PEOPLE),
                new Read("/api/training-runs", PEOPLE),
                new Read("/api/training-runs/" + run, PEOPLE),
                new Read("/api/models", PEOPLE),
                new Read("/api/models/1", PEOPLE),
                new Read("/api/models/1/bundle", Set.of("model-reader", "admin")));
    }

    @TestHTTPResource("/")
    URL root;

    @Test
    void everyEndpointAnswersEachRoleAsDocsAccessSays() throws Exception {
        // Bodies a role that may call the endpoint is refused for, so the walk starts no work.
        List<String> problems = new EveryEndpoint(root.toURI(), "trainer")
                .withJsonBody("POST /api/training-runs", "{\"maxEpochs\":0}")
                .walk();
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    @Test
    void everyReadAnswers403ToAKeyWhoseRoleMayNotSeeItAnd200ToTheRolesThatMay() throws Exception {
        String queued = "ra-queued";
        String labeled = "ra-labeled";
        TrainerKafka.reviewed(queued, FashionMnist.loadSubset().test().png(60), 0.3);
        TrainerKafka.reviewed(labeled, FashionMnist.loadSubset().test().png(61), 0.3);
        await().atMost(Duration.ofSeconds(30)).until(() -> as("labeler").get("/api/review/queue?limit=200").then()
                .extract().jsonPath().getList("items.imageId", String.class).containsAll(List.of(queued, labeled)));
        as("labeler").contentType("application/json").body("{\"label\":\"Bag\"}")
                .post("/api/review/items/" + labeled + "/label").then().statusCode(201);
        String run = as("admin").contentType("application/json").body("{\"maxEpochs\":1}").post("/api/training-runs")
                .then().statusCode(202).extract().path("id");
        try {
            for (Read read : reads(queued, labeled, run)) {
                for (String role : WithKeys.KEYS.keySet()) {
                    if (read.may().contains(role)) {
                        as(role).get(read.path()).then().statusCode(200);
                    } else {
                        as(role).get(read.path()).then().statusCode(403).contentType("application/json")
                                .body("code", equalTo("FORBIDDEN"));
                    }
                }
            }
        } finally {
            as("admin").delete("/api/training-runs/" + run);
        }
        assertThat(as("labeler").get("/api/labels/" + labeled).then().extract().path("labeler").toString())
                .as("who labeled: what a key is needed for").isEqualTo("test-labeler");
    }

    @Test
    void healthMetricsTheOpenApiDocumentAndTheDesksPageStayOpen() {
        for (String open : List.of("/q/health/live", "/q/health/started", "/q/metrics", "/q/openapi", "/", "/desk.js",
                "/desk.css")) {
            given().get(open).then().statusCode(200);
        }
        given().get("/").then().body(containsString("review desk"));
    }

    private static RequestSpecification as(String role) {
        return given().header("X-Api-Key", WithKeys.KEYS.get(role));
    }
}
