package io.argus.learning.pruning;

import java.util.List;

/**
 * Convolutions whose filters are pruned together: one on its own, or all those whose outputs
 * meet in residual adds (an add needs the same channels from every input).
 *
 * @param convolutions the convolution layers of the unit, in topological order
 * @param filters      how many filters each of them has
 * @param blockedBy    why the unit cannot be pruned (a layer its channels reach that pruning does
 *                     not support, or a non-convolution input of its adds), or null if it can
 */
public record PruningUnit(List<String> convolutions, int filters, String blockedBy) {

    public boolean prunable() {
        return blockedBy == null;
    }

    public String name() {
        return String.join("+", convolutions);
    }
}
