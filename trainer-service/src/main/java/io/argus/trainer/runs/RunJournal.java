package io.argus.trainer.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.argus.common.json.Json;

/**
 * Training runs on disk, one JSON file per run next to the model store, rewritten at every phase
 * change. A trainer that dies mid-run (SIGKILL, OOM, a lost node) leaves a file in a running
 * phase; the next start marks that run failed, so nobody waits for a run that will never end.
 */
final class RunJournal {

    private static final Logger LOG = Logger.getLogger(RunJournal.class);

    private final Path dir;

    RunJournal(Path dir) {
        this.dir = dir;
    }

    /** Records the run's current state (atomically: a reader never sees half a file). */
    void write(TrainingRun.View run) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(run.id() + ".json.tmp");
            Files.write(tmp, Json.mapper().writeValueAsBytes(run));
            Files.move(tmp, dir.resolve(run.id() + ".json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // The run itself goes on; only its record after a crash is at stake.
            LOG.warnf("Could not record training run %s in %s: %s", run.id(), dir, e);
        }
    }

    /**
     * Earlier runs, newest first; those a dead trainer left unfinished are marked FAILED (and
     * recorded so) before they are returned.
     */
    List<TrainingRun.View> recover() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<TrainingRun.View> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                TrainingRun.View v;
                try {
                    v = Json.mapper().readValue(f.toFile(), TrainingRun.View.class);
                } catch (IOException e) {
                    LOG.warnf("Ignoring unreadable training run record %s: %s", f, e.getMessage());
                    continue;
                }
                if (!v.phase().finished()) {
                    v = interrupted(v);
                    LOG.warnf("Training run %s was %s when the trainer stopped; marked FAILED", v.id(), v.phase());
                    write(v);
                }
                runs.add(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read training runs in " + dir, e);
        }
        runs.sort(Comparator.comparing(TrainingRun.View::startedAt).reversed());
        return runs;
    }

    private static TrainingRun.View interrupted(TrainingRun.View v) {
        String error = "the trainer stopped during this run (in phase " + v.phase()
                + "); marked failed when it started again";
        return new TrainingRun.View(v.id(), v.trigger(), v.base(), v.strategy(), Phase.FAILED, v.startedAt(),
                Instant.now(), v.epoch(), v.maxEpochs(), v.loss(), v.validationLoss(), v.validationAccuracy(), null,
                v.trainSamples(), v.validationSamples(), v.testSamples(), v.skippedSamples(), v.classes(), v.result(),
                error);
    }
}
