package io.argus.tools.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import io.argus.common.kafka.KafkaClients;

/** Reads results in the background and matches them to send times by image id. */
final class Results implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile String prefix = "";
    private volatile long[] sentAt = new long[0];
    private volatile long[] arrivedAt = new long[0];
    /** Wall-clock milliseconds (the records' clock) of each image's send and of its result's. */
    private volatile long[] sentWallMs = new long[0];
    private volatile long[] resultWallMs = new long[0];
    private volatile long[] arrivedWallMs = new long[0];
    private final AtomicInteger arrived = new AtomicInteger();

    Results(String bootstrap, String topic, int partitions) {
        consumer = KafkaClients.bootstrap(bootstrap).reader("argus-bench-results");
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        reader = new Thread(this::read, "bench-results");
        reader.setDaemon(true);
        reader.start();
    }

    synchronized void expect(String prefix, int n) {
        this.sentAt = new long[n];
        this.arrivedAt = new long[n];
        this.sentWallMs = new long[n];
        this.resultWallMs = new long[n];
        this.arrivedWallMs = new long[n];
        this.arrived.set(0);
        this.prefix = prefix;
    }

    void sent(int i, long nanos) {
        sentAt[i] = nanos;
        sentWallMs[i] = System.currentTimeMillis();
    }

    private void read() {
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                long now = System.nanoTime();
                long wall = System.currentTimeMillis();
                String key = r.key();
                String p = prefix;
                if (key != null && key.startsWith(p)) {
                    int i = Integer.parseInt(key.substring(p.length()));
                    long[] a = arrivedAt;
                    if (i < a.length && a[i] == 0) {
                        a[i] = now;
                        resultWallMs[i] = r.timestamp();
                        arrivedWallMs[i] = wall;
                        arrived.incrementAndGet();
                    }
                }
            }
        }
    }

    /** Waits for every expected result; fails once none has arrived for {@code stall}. */
    void await(Duration stall) throws InterruptedException {
        int seen = arrived.get();
        long lastProgress = System.nanoTime();
        while (arrived.get() < arrivedAt.length) {
            int now = arrived.get();
            if (now != seen) {
                seen = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
                throw new IllegalStateException("only " + now + " of " + arrivedAt.length
                        + " results arrived, none in the last " + stall.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    /** Results per second after the first {@code skip} fraction arrived. */
    double steadyRate(double skip) {
        long[] sorted = arrivedAt.clone();
        Arrays.sort(sorted);
        int from = (int) (sorted.length * skip);
        return (sorted.length - 1 - from) / ((sorted[sorted.length - 1] - sorted[from]) / 1e9);
    }

    double rateOverAll() {
        long first = Arrays.stream(sentAt).min().orElse(0);
        long last = Arrays.stream(arrivedAt).max().orElse(0);
        return arrivedAt.length / ((last - first) / 1e9);
    }

    double[] latenciesMs() {
        double[] l = new double[arrivedAt.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (arrivedAt[i] - sentAt[i]) / 1e6;
        }
        Arrays.sort(l);
        return l;
    }

    /**
     * Each latency in two parts, sorted apart, in ms: until the service sent the result (the result
     * record's timestamp, which its producer sets: waiting, batching, classifying) and from then until
     * the reader had it (the rest of the commit interval, the commit, a read_committed fetch). Both
     * sides read the same clock; milliseconds.
     */
    double[][] latencySplitMs() {
        double[] until = new double[arrivedAt.length];
        double[] after = new double[arrivedAt.length];
        for (int i = 0; i < until.length; i++) {
            until[i] = resultWallMs[i] - sentWallMs[i];
            after[i] = arrivedWallMs[i] - resultWallMs[i];
        }
        Arrays.sort(until);
        Arrays.sort(after);
        return new double[][] {until, after};
    }

    /** The phase's images in the order sent, with their latencies. */
    LatencySeries series() {
        long[] until = new long[arrivedAt.length];
        long[] after = new long[arrivedAt.length];
        for (int i = 0; i < until.length; i++) {
            until[i] = resultWallMs[i] - sentWallMs[i];
            after[i] = arrivedWallMs[i] - resultWallMs[i];
        }
        return new LatencySeries(sentAt.clone(), arrivedAt.clone(), sentWallMs.clone(), until, after);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        reader.join(5000);
        consumer.close();
    }
}
