package io.argus.tools.bench;

/**
 * One end-to-end run, grouped the way the bench reports it and written to its JSON as is: what ran,
 * how the service ran it, the saturation and half-load phases, the service's memory, and what the
 * broker alone sustains for the same records.
 */
record EndToEndRun(Case what, Service service, Saturation saturation, HalfLoad halfLoad, Memory memory,
                   BrokerBound.Result brokerBound) {

    /** The model, the images sent (their name and mean size in bytes), the engine and the service's batch size. */
    record Case(String model, String images, double imageBytes, BenchEngine engine, int batch) {
    }

    /**
     * How the service ran: the run's name ({@link EndToEnd.Variant}), the line it logged on loading the
     * model, and what it says of itself: drift per sensor ({@code argus_drift_enabled}), the
     * out-of-distribution score (its readiness check) and the share of images a shadow candidate saw.
     */
    record Service(String run, String loaded, boolean driftOn, boolean oodOn, double shadowShare) {
    }

    /**
     * A backlog as fast as it goes.
     *
     * @param serviceCpuMsPerImage the service JVM's CPU time (all threads) per image; NaN where the OS does not say
     * @param breakdown            the classification thread's time per image by step
     * @param cpu                  where the machine's CPU went; null without {@code /proc}
     */
    record Saturation(double imagesPerSecond, double serviceCpuMsPerImage, Breakdown breakdown, CpuShares cpu,
                      Shadowed shadowed) {
    }

    /** Paced at half the saturation rate: {@code images} sent, their latency from send to visible. */
    record HalfLoad(double imagesPerSecond, int images, Latency latency, Shadowed shadowed) {
    }

    record Latency(double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    }

    /** Images a shadow candidate answered, and those it let go by (its queue full). */
    record Shadowed(long answered, long dropped) {
    }

    /**
     * The service's resident memory once ready (model loaded and warmed up, no traffic yet) and after
     * the half-load phase, whose {@code peakRssBytes} is the highest over the whole run (its JVM serves
     * this run only). Both null where {@code /proc} cannot be read.
     */
    record Memory(ProcessMemory atReady, ProcessMemory atEnd) {

        String readyRssMib() {
            return atReady == null ? "n/a" : ProcessMemory.mib(atReady.rssBytes());
        }

        String peakRssMib() {
            return atEnd == null ? "n/a" : ProcessMemory.mib(atEnd.peakRssBytes());
        }
    }

    String model() {
        return what.model();
    }

    String images() {
        return what.images();
    }

    /** Saturation as a share of what the broker alone sustains for these records. */
    double boundShare() {
        return saturation.imagesPerSecond() / brokerBound.recordsPerSecond();
    }
}
