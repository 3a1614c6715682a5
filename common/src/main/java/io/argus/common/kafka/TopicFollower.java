package io.argus.common.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a whole topic from its start, then whatever comes next, without a consumer group (every
 * reader sees everything: the way to rebuild state from a compacted topic). Hands each committed
 * record to its handler and says, once, when it has read everything that was there when it
 * started. Reconnects after Kafka errors, starting over (handlers must tolerate seeing a record
 * twice). Runs on a daemon thread of its own.
 */
public final class TopicFollower implements Runnable {

    /** What a follower reports; called on its thread. */
    public interface Handler {
        void record(ConsumerRecord<String, byte[]> record);

        /** Everything that was on the topic at start has been handed over. */
        default void caughtUp() {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private final KafkaClients kafka;
    private final String topic;
    private final String clientId;
    private final Handler handler;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private boolean caughtUp;

    public TopicFollower(KafkaClients kafka, String topic, String clientId, Handler handler) {
        this.kafka = kafka;
        this.topic = topic;
        this.clientId = clientId;
        this.handler = handler;
    }

    /** Starts following on a daemon thread named after the client id. */
    public TopicFollower start() {
        Thread t = new Thread(this, clientId);
        t.setDaemon(true);
        t.start();
        return this;
    }

    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    @Override
    public void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = kafka.reader(clientId)) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("Reading {} failed ({}); retrying in 2 s", topic, e.toString());
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        while (running) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                handler.record(r);
            }
            if (!caughtUp && partitions.stream().allMatch(p -> c.position(p) >= end.get(p))) {
                caughtUp = true;
                handler.caughtUp();
            }
        }
    }
}
