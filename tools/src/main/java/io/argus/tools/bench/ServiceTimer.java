package io.argus.tools.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of inference-service's timers over part of a run (read before and after): how many events, how
 * long they took, and their histogram. The bench reads two at half load: the commits
 * ({@link #COMMITS}; at a steady rate a result waits for about one commit before it is sent and one
 * more until a read_committed reader sees it) and the time from an image's record to its
 * classification ({@link #UNTIL_CLASSIFIED}: the wait for a batch and the classification). Together
 * with the bench's own split of the latency they say where a half-load latency that grows went.
 *
 * @param count   events (of every series of the timer, summed)
 * @param seconds their total duration
 * @param buckets the timer's cumulative histogram: upper bound in seconds to events at most that long
 */
record ServiceTimer(double count, double seconds, TreeMap<Double, Double> buckets) {

    /** One commit of a group of batches. */
    static final String COMMITS = "argus_inference_commit_seconds";
    /** From the raw record's timestamp (the bench's send) to the image's classification. */
    static final String UNTIL_CLASSIFIED = "argus_inference_latency_seconds{from=\"ingest\"";

    /**
     * The timer {@code name} (a metric name, or a name and the start of its labels, as
     * {@link #UNTIL_CLASSIFIED}) as one scrape of {@code /q/metrics} shows it; zero events if it has none.
     */
    static ServiceTimer of(String exposition, String name) {
        int brace = name.indexOf('{');
        String metric = brace < 0 ? name : name.substring(0, brace);
        String labels = brace < 0 ? "" : name.substring(brace + 1);
        Pattern bucket = Pattern.compile(Pattern.quote(metric) + "_bucket\\{(.*,)?le=\"([^\"]+)\".*} (\\S+)");
        TreeMap<Double, Double> buckets = new TreeMap<>();
        double count = 0;
        double seconds = 0;
        for (String line : exposition.lines().filter(l -> l.contains(labels)).toList()) {
            Matcher m = bucket.matcher(line);
            if (m.matches()) {
                buckets.merge(m.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(2)),
                        Double.parseDouble(m.group(3)), Double::sum);
            } else if (line.startsWith(metric + "_count")) {
                count += value(line);
            } else if (line.startsWith(metric + "_sum")) {
                seconds += value(line);
            }
        }
        return new ServiceTimer(count, seconds, buckets);
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    /** The events since {@code before}. */
    ServiceTimer since(ServiceTimer before) {
        TreeMap<Double, Double> d = new TreeMap<>();
        for (Map.Entry<Double, Double> b : buckets.entrySet()) {
            d.put(b.getKey(), b.getValue() - before.buckets.getOrDefault(b.getKey(), 0.0));
        }
        return new ServiceTimer(count - before.count, seconds - before.seconds, d);
    }

    double meanMs() {
        return count == 0 ? Double.NaN : 1000 * seconds / count;
    }

    /**
     * The upper bound, in ms, of the histogram bucket holding quantile {@code q} (0-1): the quantile
     * is at most this; NaN without commits.
     */
    double quantileAtMostMs(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        double rank = Math.ceil(q * count);
        for (Map.Entry<Double, Double> b : buckets.entrySet()) {
            if (b.getValue() >= rank) {
                return 1000 * b.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
