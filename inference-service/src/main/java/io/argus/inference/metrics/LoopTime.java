package io.argus.inference.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Where the classification thread's time goes, as {@code argus_inference_loop_seconds_total{phase}}.
 * The thread calls {@link #lap} at the end of each step, which books the time since the previous
 * lap to that step: the laps are contiguous, so the phases add up to the thread's whole running
 * time and nothing it does can hide between them. With one classification thread per replica,
 * the phases over an interval divided by the images classified in it are the time per image that
 * each step costs; a phase that grows is where a regression is.
 *
 * <p>The thread's CPU time is booked the same way, as {@code argus_inference_loop_cpu_seconds_total{phase}}:
 * in the forward pass the thread works as one of ONNX Runtime's, elsewhere it decodes its share of a
 * batch, builds results and polls. What it spends outside the forward pass is what the benchmark takes
 * from the CPU the forward pass can have (docs/serving.md, "Where the CPU goes"); its own threads cannot
 * be told from ONNX Runtime's from outside the process. One lap costs a read of the thread's CPU clock,
 * well under a microsecond.
 *
 * <p>Written by one thread (the loop's), read by any (the metrics scrape).
 */
public final class LoopTime {

    /** The steps of the classification loop, in the order one batch goes through them. */
    public enum Phase {
        /** Polls that returned records: fetching and deserialising them (Kafka). */
        CONSUME,
        /** Polls that returned nothing: waiting for images, for a batch to fill, or for a commit to be due. */
        WAIT,
        /** Reading the records' contracts and decoding and preprocessing the images (the decode threads). */
        DECODE,
        /** The forward pass. */
        MODEL,
        /** Top-k, building each result, its JSON, and routing (review, dead letters). */
        RESULTS,
        /** Sending the outputs and committing them with the consumed offsets (a transaction when exactly once). */
        COMMIT,
        /** Everything else the loop does: metrics and drift of committed results, backlog checks. */
        OTHER;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    // Before NONE, which reads it as it is made.
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** A clock that books nothing: for callers outside the loop. */
    public static final LoopTime NONE = new LoopTime();

    private final AtomicLongArray nanos = new AtomicLongArray(Phase.values().length);
    private final AtomicLongArray cpuNanos = new AtomicLongArray(Phase.values().length);
    private final boolean cpuClock = THREADS.isCurrentThreadCpuTimeSupported();
    private long last = System.nanoTime();
    private long lastCpu = -1;

    public LoopTime() {
    }

    /** Registers one counter per phase. */
    public static LoopTime register(MeterRegistry meters) {
        LoopTime t = new LoopTime();
        for (Phase p : Phase.values()) {
            FunctionCounter.builder("argus.inference.loop", t, x -> x.seconds(p))
                    .description("Time of the classification thread, by the step it spent it on")
                    .baseUnit("seconds").tag("phase", p.tag()).register(meters);
            if (t.cpuClock) {
                FunctionCounter.builder("argus.inference.loop.cpu", t, x -> x.cpuSeconds(p))
                        .description("CPU time of the classification thread, by the step it spent it on")
                        .baseUnit("seconds").tag("phase", p.tag()).register(meters);
            }
        }
        return t;
    }

    /** Starts booking from now (the loop (re)starts), on the thread that laps from then on. */
    public void start() {
        if (this != NONE) {
            last = System.nanoTime();
            lastCpu = cpuClock ? THREADS.getCurrentThreadCpuTime() : -1;
        }
    }

    /** Books the time since the previous lap to {@code phase}. */
    public void lap(Phase phase) {
        if (this == NONE) {
            return;
        }
        long now = System.nanoTime();
        nanos.addAndGet(phase.ordinal(), now - last);
        last = now;
        if (lastCpu >= 0) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            cpuNanos.addAndGet(phase.ordinal(), cpu - lastCpu);
            lastCpu = cpu;
        }
    }

    public double seconds(Phase phase) {
        return nanos.get(phase.ordinal()) / (double) TimeUnit.SECONDS.toNanos(1);
    }

    /** The thread's CPU time booked to {@code phase}; 0 where the JVM has no thread CPU clock. */
    public double cpuSeconds(Phase phase) {
        return cpuNanos.get(phase.ordinal()) / (double) TimeUnit.SECONDS.toNanos(1);
    }
}
