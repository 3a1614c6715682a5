package io.argus.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** How the access table of docs/access.md is read, and that the repository's own reads whole. */
class AccessTableTest {

    @Test
    void aRowMayNameSeveralMethodsOfOnePathAndPagesWithoutAMethodAreGets() {
        String doc = """
                ## Which endpoint needs which role

                | service | method and path | roles |
                |---|---|---|
                | trainer | `POST`, `DELETE /api/items/{id}/label` | labeler, admin |
                | trainer | `POST /api/labels` (JSON or multipart), `POST /api/labels/batch` | labeler |
                | every service | `/q/metrics` | none |

                Why...
                | not | part of | the table |
                """;
        List<AccessTable.Rule> rules = AccessTable.read(doc);
        assertThat(rules).containsExactly(
                new AccessTable.Rule("trainer", "POST", "/api/items/{id}/label", Set.of("labeler", "admin")),
                new AccessTable.Rule("trainer", "DELETE", "/api/items/{id}/label", Set.of("labeler", "admin")),
                new AccessTable.Rule("trainer", "POST", "/api/labels", Set.of("labeler")),
                new AccessTable.Rule("trainer", "POST", "/api/labels/batch", Set.of("labeler")),
                new AccessTable.Rule("every service", "GET", "/q/metrics", Set.of()));
        assertThat(rules.get(4).appliesTo("ingest")).isTrue();
        assertThat(rules.get(0).appliesTo("ingest")).isFalse();
    }

    @Test
    void aTableThatCannotBeReadIsAnErrorNotAnEmptySpecification() {
        assertThatThrownBy(() -> AccessTable.read("# Access\nno table here")).hasMessageContaining("no section");
        assertThatThrownBy(() -> AccessTable.read("## Which endpoint needs which role\n\nnothing"))
                .hasMessageContaining("no rows");
        assertThatThrownBy(() -> AccessTable.read("## Which endpoint needs which role\n| a | `POST` | admin |\n"))
                .hasMessageContaining("without a path");
    }

    @Test
    void theRepositorysTableNamesAnEndpointOfEachService() throws Exception {
        List<AccessTable.Rule> rules = AccessTable.ofTheRepository();
        for (String service : List.of("ingest", "inference", "trainer")) {
            assertThat(rules).as(service).anyMatch(r -> r.service().equals(service) && r.path().startsWith("/api/"));
        }
    }
}
