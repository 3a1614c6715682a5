package io.argus.trainer.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.common.contract.ModelStatus;
import io.argus.common.model.ModelMetrics;
import io.argus.common.model.GateReport;
import io.argus.common.model.Pruning;

class RunJournalTest {

    @TempDir
    Path dir;

    @Test
    void aRunLeftRunningByADeadTrainerIsMarkedFailedAtTheNextStart() {
        RunJournal before = new RunJournal(dir);
        TrainingRun finished = new TrainingRun("run-a", "manual", RunRequest.DEFAULTS, "champion", "finetune",
                before::write);
        finished.phase(Phase.SNAPSHOT);
        finished.failed("NO_LABELS");
        TrainingRun cut = new TrainingRun("run-b", "50 new labels", RunRequest.DEFAULTS, "champion", "finetune",
                before::write);
        cut.phase(Phase.SNAPSHOT);
        cut.phase(Phase.TRAINING_HEAD); // ... and then the process is killed

        List<TrainingRun.View> recovered = new RunJournal(dir).recover();

        assertThat(recovered).extracting(TrainingRun.View::id).containsExactlyInAnyOrder("run-a", "run-b");
        TrainingRun.View b = recovered.stream().filter(v -> v.id().equals("run-b")).findFirst().orElseThrow();
        assertThat(b.phase()).isEqualTo(Phase.FAILED);
        assertThat(b.error()).contains("trainer stopped during this run").contains("TRAINING_HEAD");
        assertThat(b.finishedAt()).isAfterOrEqualTo(b.startedAt());
        assertThat(b.trigger()).isEqualTo("50 new labels");
        TrainingRun.View a = recovered.stream().filter(v -> v.id().equals("run-a")).findFirst().orElseThrow();
        assertThat(a.error()).isEqualTo("NO_LABELS");
        // Recorded as failed, so a third start does not have to decide again.
        assertThat(new RunJournal(dir).recover()).allMatch(v -> v.phase() == Phase.FAILED);
    }

    @Test
    void aFinishedRunComesBackWithItsResult() {
        RunJournal journal = new RunJournal(dir);
        TrainingRun run = new TrainingRun("run-c", "manual", RunRequest.DEFAULTS, "champion", "finetune", journal::write);
        run.data(30, 8, 12, 0, List.of("cat", "dog"));
        GateReport gate = new GateReport("PROMOTED", "better on sensor:cam", 0.02, "paired bootstrap",
                new GateReport.EvaluationSet("abc", 100, 12), List.of(new GateReport.Slice("sensor:cam", true, 12, 0.1,
                0.9, 0.8, 0.5, 1.0, "improved")));
        run.done(new TrainingRun.Result(4, new TrainingRun.Decision(ModelStatus.PROMOTED, "better on sensor:cam"),
                ModelMetrics.fromConfusion(List.of("cat", "dog"), new int[][] {{5, 1}, {1, 5}}), 1234,
                new Pruning(1000, 400, 5000, 2000, 0.9, 0.89, 3, "target reached"), gate, List.of("cam"),
                List.of("sensor cam: calibrated")));

        TrainingRun.View back = new RunJournal(dir).recover().get(0);
        assertThat(back.result().pruning().paramsAfter()).isEqualTo(400);
        assertThat(back.result().gate()).isEqualTo(gate);

        assertThat(back).isEqualTo(run.view());
    }

    @Test
    void unreadableRecordsAreSkippedNotFatal() throws Exception {
        Files.writeString(dir.resolve("run-x.json"), "{ half a record");
        RunJournal journal = new RunJournal(dir);
        journal.write(new TrainingRun("run-y", "manual", RunRequest.DEFAULTS, "champion", "frozen").view());

        assertThat(journal.recover()).extracting(TrainingRun.View::id).containsExactly("run-y");
    }
}
