package io.argus.common.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class TopicSpecTest {

    @Test
    void imageTopicsTakeImageSizedRecordsAndTheTrainingSetAndModelsAreCompacted() {
        Map<String, TopicSpec> specs = TopicSpec.argusTopics(TopicNames.DEFAULTS, 4).stream()
                .collect(Collectors.toMap(TopicSpec::name, Function.identity()));

        assertThat(specs).containsOnlyKeys(Topics.RAW, Topics.CLASSIFIED, Topics.REVIEW, Topics.DLQ, Topics.LABELS,
                Topics.MODELS, Topics.DRIFT, Topics.SHADOW);
        for (String t : new String[] {Topics.RAW, Topics.DLQ, Topics.LABELS}) {
            assertThat(Integer.parseInt(specs.get(t).configs().get("max.message.bytes"))).isGreaterThanOrEqualTo(10 << 20);
        }
        assertThat(specs.get(Topics.LABELS).configs()).containsEntry("cleanup.policy", "compact");
        assertThat(specs.get(Topics.MODELS).configs()).containsEntry("cleanup.policy", "compact");
        assertThat(specs.get(Topics.RAW).configs()).containsEntry("cleanup.policy", "delete").containsKey("retention.ms");
        assertThat(specs.get(Topics.RAW).partitions()).isEqualTo(4);
        assertThat(specs.get(Topics.MODELS).partitions()).isEqualTo(1);
        assertThat(specs.get(Topics.DRIFT).configs()).as("each sensor's latest state").containsEntry("cleanup.policy",
                "compact");
        assertThat(specs.get(Topics.DRIFT).partitions()).as("keyed by sensor, like the raw images").isEqualTo(4);
    }
}
