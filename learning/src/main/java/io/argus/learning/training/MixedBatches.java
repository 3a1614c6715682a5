package io.argus.learning.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Epochs of mixed, class-balanced batches: half of the draws come from the new labels, half from
 * the replayed ones (the base's data and earlier labels), and within each half every class is drawn
 * equally often. A few dozen new labels then weigh as much as thousands of replayed ones without
 * crowding them out, and a class with many labels does not drown a class with few.
 */
public final class MixedBatches implements Fitter.EpochOrder {

    private final List<List<int[]>> pools;
    private final int epochSize;

    /**
     * @param classes   each training sample's class
     * @param isNew     whether each training sample is a new label (else replay)
     * @param epochSize draws per epoch
     */
    public MixedBatches(int[] classes, boolean[] isNew, int epochSize) {
        this.epochSize = epochSize;
        this.pools = new ArrayList<>();
        for (boolean wanted : new boolean[] {true, false}) {
            List<List<Integer>> byClass = new ArrayList<>();
            for (int i = 0; i < classes.length; i++) {
                if (isNew[i] != wanted) {
                    continue;
                }
                while (byClass.size() <= classes[i]) {
                    byClass.add(new ArrayList<>());
                }
                byClass.get(classes[i]).add(i);
            }
            List<int[]> pool = byClass.stream().filter(l -> !l.isEmpty())
                    .map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
            if (!pool.isEmpty()) {
                pools.add(pool);
            }
        }
    }

    @Override
    public int[] next(Random random) {
        int[] order = new int[epochSize];
        for (int k = 0; k < epochSize; k++) {
            List<int[]> pool = pools.get(k % pools.size());
            int[] members = pool.get(random.nextInt(pool.size()));
            order[k] = members[random.nextInt(members.length)];
        }
        return order;
    }
}
