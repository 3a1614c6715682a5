package io.argus.trainer.labels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.argus.common.error.ContractViolation;
import io.argus.common.contract.LabeledSample;
import io.argus.common.kafka.KafkaClients;

/**
 * The training set as it is now: {@code argus.labels} read from its start to its current end,
 * the latest record per sample id, tombstoned samples left out. A training run trains on exactly
 * this, so a restarted trainer trains on what the topic holds, nothing else.
 */
public final class LabelSnapshot {

    private static final Logger LOG = Logger.getLogger(LabelSnapshot.class);

    private LabelSnapshot() {
    }

    public static List<LabeledSample> read(KafkaClients kafka, String topic) {
        Map<String, LabeledSample> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> c = kafka.reader("argus-trainer-label-snapshot")) {
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition())) || r.key() == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        latest.remove(r.key());
                        continue;
                    }
                    try {
                        latest.put(r.key(), LabeledSample.fromRecord(r));
                    } catch (ContractViolation e) {
                        LOG.warnf("Leaving out unreadable label record %s: %s", r.key(), e.getMessage());
                    }
                }
            }
        }
        return new ArrayList<>(latest.values());
    }
}
