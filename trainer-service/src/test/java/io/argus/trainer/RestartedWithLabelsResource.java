package io.argus.trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.argus.common.contract.LabeledSample;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.Topics;
import io.argus.local.testing.KafkaBrokerResource;

/**
 * A trainer restarted while Kafka is away, as {@link RestartedTrainerResource}, over a training set
 * people labeled before the restart: one {@code Bag}, then two of {@code Tulip}, a class the
 * champion (v1) does not have, in this order on one partition of {@code argus.labels}.
 */
public class RestartedWithLabelsResource extends RestartedTrainerResource {

    /** The labels on argus.labels, in the order they are read. */
    static final List<String> SAMPLES = List.of("early-bag", "tulip-1", "tulip-2");

    @Override
    protected void leftByTheEarlierTrainer(Path store) throws IOException {
        super.leftByTheEarlierTrainer(store);
        byte[] png = FashionMnist.loadSubset().test().png(5);
        try (KafkaProducer<String, byte[]> p = KafkaBrokerResource.kafka()
                .reliableProducer("test-earlier-trainer", KafkaClients.Payload.IMAGES)) {
            for (String id : SAMPLES) {
                String label = id.startsWith("tulip") ? "Tulip" : "Bag";
                ProducerRecord<String, byte[]> r = new LabeledSample(id, label, "ana", Instant.now(),
                        LabeledSample.PERSON, new LabeledSample.Origin(null, "cam-garden", null, null), png)
                        .toRecord(Topics.LABELS);
                // One partition, so that the order in which the trainer reads them is this one.
                p.send(new ProducerRecord<>(r.topic(), 0, r.key(), r.value(), r.headers())).get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not write the earlier labels: " + e, e);
        }
    }
}
