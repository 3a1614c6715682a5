package io.argus.trainer.labels;

import java.time.Duration;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import io.argus.common.contract.Classification;
import io.argus.common.contract.RawImage;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.error.ArgusException;

/** Reads one image back from {@code argus.images.raw} by partition and offset. */
@ApplicationScoped
public class RawImageFetcher {

    private final KafkaClients kafka;
    private KafkaConsumer<String, byte[]> consumer;

    public RawImageFetcher(KafkaClients kafka) {
        this.kafka = kafka;
    }

    /**
     * @throws ArgusException (gone) when the record is past the topic's retention
     */
    public synchronized RawImage fetch(Classification.Source source) {
        KafkaConsumer<String, byte[]> c = consumer();
        TopicPartition tp = new TopicPartition(source.topic(), source.partition());
        c.assign(List.of(tp));
        long first = c.beginningOffsets(List.of(tp)).get(tp);
        if (source.offset() < first) {
            throw ArgusException.gone("PAST_RETENTION", "the image at " + source.topic() + "/" + source.partition() + "/"
                    + source.offset() + " is past the topic's retention (oldest offset " + first + "); upload it instead");
        }
        c.seek(tp, source.offset());
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                if (r.offset() == source.offset()) {
                    return RawImage.fromRecord(r);
                }
                if (r.offset() > source.offset()) {
                    throw ArgusException.gone("PAST_RETENTION", "the image's record is gone from " + source.topic());
                }
            }
        }
        throw ArgusException.unavailable("KAFKA_UNAVAILABLE", "could not read the image from Kafka in time; retry later",
                Duration.ofSeconds(5), null);
    }

    private KafkaConsumer<String, byte[]> consumer() {
        if (consumer == null) {
            consumer = kafka.lookup("argus-trainer-raw-fetch");
        }
        return consumer;
    }

    @PreDestroy
    synchronized void close() {
        if (consumer != null) {
            consumer.close();
        }
    }
}
