package io.argus.trainer.runs;

import java.nio.file.Path;

/** Runs an earlier trainer process recorded in its store, for tests of a restarted trainer. */
public final class EarlierRuns {

    private EarlierRuns() {
    }

    /** A run the earlier trainer was training when it died: its journal says TRAINING_HEAD. */
    public static void cutMidway(Path store, String id) {
        RunJournal journal = new RunJournal(store.resolve("runs"));
        TrainingRun run = new TrainingRun(id, "50 new labels", RunRequest.DEFAULTS, "champion", "finetune",
                journal::write);
        run.phase(Phase.SNAPSHOT);
        run.phase(Phase.TRAINING_HEAD);
    }
}
