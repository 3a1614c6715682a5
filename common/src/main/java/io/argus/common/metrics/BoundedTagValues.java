package io.argus.common.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tag values from the outside world (sensor ids) with a cap on how many distinct ones become
 * time series: the first {@code limit} values admitted keep their name, later ones are reported as
 * {@code other}. A camera fleet cannot blow up the metrics store. Only values the caller has
 * checked are admitted ({@link #of}); a value nobody vouched for, such as the sensor id of a
 * refused request, only keeps a name it already has ({@link #known}), so junk cannot take the
 * places of real cameras.
 */
public final class BoundedTagValues {

    public static final String OTHER = "other";

    private final int limit;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    public BoundedTagValues(int limit) {
        this.limit = limit;
    }

    /** The value's own tag, taking a free place if it has none yet; {@code other} once the places are taken. */
    public String of(String value) {
        if (value == null) {
            return OTHER;
        }
        if (admitted.contains(value)) {
            return value;
        }
        synchronized (admitted) {
            if (admitted.size() < limit) {
                admitted.add(value);
                return value;
            }
        }
        return OTHER;
    }

    /** The value's own tag if it already has one, otherwise {@code other}: never takes a place. */
    public String known(String value) {
        return value != null && admitted.contains(value) ? value : OTHER;
    }
}
