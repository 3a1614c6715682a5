package io.argus.inference.batching;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.argus.inference.outcome.Outcome;
import io.argus.inference.outcome.RawBatch;
import io.argus.inference.routing.ResultRouter;

/**
 * One raw record's share of a commit: what it became, the outputs that go with it, and the batch
 * it was classified in (for the metrics of that forward pass).
 */
record Pending(RawBatch batch, Outcome outcome, ResultRouter.Routed routed) {

    ConsumerRecord<String, byte[]> source() {
        return outcome.source();
    }

    List<ProducerRecord<String, byte[]>> outputs() {
        return routed.records();
    }
}
