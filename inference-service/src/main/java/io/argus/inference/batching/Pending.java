package io.argus.inference.batching;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.argus.inference.outcome.Outcome;
import io.argus.inference.outcome.RawBatch;
import io.argus.inference.routing.ResultRouter;
import io.argus.inference.shadow.ShadowImage;

/**
 * One raw record's share of a commit: what it became, the outputs that go with it, the batch
 * it was classified in (for the metrics of that forward pass) and, when a candidate runs in shadow
 * and the share picks this image, what the candidate gets once the commit is done (else null).
 */
record Pending(RawBatch batch, Outcome outcome, ResultRouter.Routed routed, ShadowImage shadow) {

    Pending(RawBatch batch, Outcome outcome, ResultRouter.Routed routed) {
        this(batch, outcome, routed, null);
    }

    ConsumerRecord<String, byte[]> source() {
        return outcome.source();
    }

    List<ProducerRecord<String, byte[]>> outputs() {
        return routed.records();
    }
}
