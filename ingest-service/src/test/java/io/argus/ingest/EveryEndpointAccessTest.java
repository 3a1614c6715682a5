package io.argus.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.argus.common.testing.EveryEndpoint;
import io.argus.common.testing.TestKeys;
import io.argus.local.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With access control on, every endpoint ingest has (as its OpenAPI document lists them) answers
 * as the table of docs/access.md says: 401 with a challenge without a key, 403 to each role that
 * may not, and lets each role that may through; the open ones stay open.
 */
@QuarkusTest
@TestProfile(EveryEndpointAccessTest.AccessOn.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class EveryEndpointAccessTest {

    public static class AccessOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return TestKeys.accessControlOn();
        }
    }

    @TestHTTPResource("/")
    URL root;

    @Test
    void everyEndpointAnswersEachRoleAsDocsAccessSays() throws Exception {
        List<String> problems = new EveryEndpoint(root.toURI(), "ingest").walk();
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }
}
