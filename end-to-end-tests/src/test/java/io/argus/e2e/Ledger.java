package io.argus.e2e;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.argus.common.contract.Classification;
import io.argus.common.json.Json;
import io.argus.common.topics.Topics;
import io.argus.local.testing.TopicReader;

/**
 * Reconciliation: for a set of image ids, how many classified and dead-letter records each got,
 * read as downstream consumers read them (committed records only).
 */
final class Ledger {

    final Map<String, Integer> classified = new HashMap<>();
    final Map<String, Integer> deadLettered = new HashMap<>();
    final Map<String, Classification> results = new HashMap<>();

    /** Reads both topics from their start until every id is accounted for, or {@code timeout}. */
    static Ledger read(String bootstrap, Set<String> ids, Duration timeout) {
        Ledger ledger = new Ledger();
        try (TopicReader cls = TopicReader.fromStart(bootstrap, Topics.CLASSIFIED);
             TopicReader dlq = TopicReader.fromStart(bootstrap, Topics.DLQ)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            do {
                ledger.add(cls.read(Integer.MAX_VALUE, Duration.ofMillis(300)), ids, true);
                ledger.add(dlq.read(Integer.MAX_VALUE, Duration.ofMillis(300)), ids, false);
            } while (ledger.missing(ids) > 0 && System.nanoTime() < deadline);
            // Whatever is still in flight shows up now, so duplicates are counted too.
            ledger.add(cls.readUntilQuiet(Duration.ofSeconds(2)), ids, true);
            ledger.add(dlq.readUntilQuiet(Duration.ofSeconds(1)), ids, false);
        }
        return ledger;
    }

    private void add(Collection<ConsumerRecord<String, byte[]>> records, Set<String> ids, boolean isClassified) {
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.key() == null || !ids.contains(r.key())) {
                continue;
            }
            if (isClassified) {
                classified.merge(r.key(), 1, Integer::sum);
                results.putIfAbsent(r.key(), Json.read(r.value(), Classification.class));
            } else {
                deadLettered.merge(r.key(), 1, Integer::sum);
            }
        }
    }

    /** Ids with neither a classification nor a dead letter. */
    int missing(Set<String> ids) {
        return (int) ids.stream().filter(id -> !classified.containsKey(id) && !deadLettered.containsKey(id)).count();
    }

    /** Extra records beyond the first, over all ids. */
    int duplicates() {
        int d = 0;
        for (String id : union()) {
            d += classified.getOrDefault(id, 0) + deadLettered.getOrDefault(id, 0) - 1;
        }
        return d;
    }

    private Set<String> union() {
        Set<String> all = new java.util.HashSet<>(classified.keySet());
        all.addAll(deadLettered.keySet());
        return all;
    }
}
