package io.argus.common.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tag values from the outside world (sensor ids) with a cap on how many distinct ones become
 * time series: the first {@code limit} values keep their name, later ones are reported as
 * {@code other}. A camera fleet cannot blow up the metrics store.
 */
public final class BoundedTagValues {

    public static final String OTHER = "other";

    private final int limit;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public BoundedTagValues(int limit) {
        this.limit = limit;
    }

    public String of(String value) {
        if (value == null) {
            return OTHER;
        }
        if (known.contains(value)) {
            return value;
        }
        synchronized (known) {
            if (known.size() < limit) {
                known.add(value);
                return value;
            }
        }
        return OTHER;
    }
}
