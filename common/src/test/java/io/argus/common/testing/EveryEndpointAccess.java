package io.argus.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;

/**
 * With access control on ({@link AccessControlOn}), every endpoint a service has (as its OpenAPI
 * document lists them) answers as the table of docs/access.md says: 401 with a challenge without a
 * key, 403 to each role that may not, and lets each role that may through; the open ones stay open.
 * Each service's test class extends this, naming the service as the table does.
 */
public abstract class EveryEndpointAccess {

    private final String service;

    @TestHTTPResource("/")
    URL root;

    protected EveryEndpointAccess(String service) {
        this.service = service;
    }

    @Test
    void everyEndpointAnswersEachRoleAsDocsAccessSays() throws Exception {
        List<String> problems = new EveryEndpoint(root.toURI(), service).walk();
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }
}
