package io.argus.trainer.shadow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.contract.ShadowResult;
import io.argus.common.kafka.JsonRecords;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.model.GateReport;
import io.argus.common.model.StoredModel;
import io.argus.common.topics.TopicsConfig;
import io.argus.trainer.TrainerConfig;
import io.argus.trainer.labels.LabelIndex;
import io.argus.trainer.registry.FollowedTopic;
import io.argus.trainer.registry.ModelHistory;
import io.argus.trainer.registry.ModelRegistry;
import io.argus.trainer.registry.ShadowProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;

/**
 * Shadow before promotion, the trainer's side: follows {@code argus.images.shadow} from its start
 * (so a restarted trainer counts a window again from the topic), joins the labels people give for
 * the same raw records, and ends every window: when a version in SHADOW has answered the window's
 * images or its time is up, {@link ShadowRules} decide, and the decision is announced on
 * {@code argus.models} (PROMOTED with the champion it replaces, as the gate's promotions are, so
 * the rollback watch follows it; or REJECTED with the reason). If the champion changes during the
 * window (by hand, or a rollback), the candidate is REJECTED: it was compared with another model.
 *
 * <p>Metrics per version in shadow and sensor ({@code sensor="(all)"} for all of them):
 * {@code argus_shadow_agreement}, {@code argus_shadow_agreement_confident},
 * {@code argus_shadow_images}; and {@code argus_shadow_decisions_total{decision}}.
 */
@Singleton
public class ShadowWatch extends FollowedTopic implements ShadowProgress.Source {

    private static final Logger LOG = Logger.getLogger(ShadowWatch.class);
    private static final String ALL = "(all)";
    private static final int KEEP_DECIDED = 20;

    private final ShadowJoin join;
    private final ShadowRules rules;
    private final ShadowRules.Window window;
    private final ModelHistory history;
    private final ModelRegistry registry;
    private final LabelIndex labels;
    private final Map<Integer, ShadowProgress> decided = new ConcurrentHashMap<>();
    private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final MultiGauge agreement;
    private final MultiGauge confidentAgreement;
    private final MultiGauge images;
    private volatile boolean caughtUp;

    public ShadowWatch(KafkaClients kafka, TopicsConfig topics, TrainerConfig config, LabelIndex labels,
                       ModelHistory history, ModelRegistry registry, MeterRegistry meters) {
        super(kafka, topics.shadow(), "argus-trainer-shadow");
        TrainerConfig.Shadow s = config.shadow();
        this.join = new ShadowJoin(s.maxImages());
        this.rules = new ShadowRules(new ShadowRules.Settings(s.confident(), s.minAgreement(), s.minImages(), s.z()));
        this.window = new ShadowRules.Window(s.images(), s.minutes());
        this.history = history;
        this.registry = registry;
        this.labels = labels;
        this.meters = meters;
        labels.onSample(this::sample);
        this.agreement = MultiGauge.builder("argus.shadow.agreement")
                .description("Share of images a candidate in shadow answered as the champion did, per version and sensor")
                .register(meters);
        this.confidentAgreement = MultiGauge.builder("argus.shadow.agreement.confident")
                .description("argus_shadow_agreement on the images the champion was confident of (what the rule judges)")
                .register(meters);
        this.images = MultiGauge.builder("argus.shadow.images")
                .description("Distinct images a candidate in shadow answered, per version and sensor").register(meters);
        for (String d : List.of("promoted", "rejected")) {
            decisions.put(d, counter(d));
        }
    }

    /** The window every shadow has, from the settings. */
    public ShadowRules.Window window() {
        return window;
    }

    @Override
    public void record(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        Optional<ShadowResult> read = JsonRecords.read(r, ShadowResult.class, "shadow result");
        if (read.isEmpty()) {
            return;
        }
        ShadowResult result = read.get();
        if (result.candidate() == null || !registry.modelName().equals(result.modelName())) {
            return;
        }
        // Results of a shadow that is over (the week the topic keeps) are not kept; while the
        // history is still being read, a version's status is unknown and its results are kept.
        ModelStatus status = history.latest(result.candidate().version()).map(ModelEvent::status).orElse(null);
        if (status == null || status == ModelStatus.SHADOW || status == ModelStatus.CANDIDATE) {
            join.shadowed(result);
        }
    }

    @Override
    public void caughtUp() {
        caughtUp = true;
    }

    private void sample(String sampleId, LabelIndex.Entry entry) {
        if (entry == null || !entry.fromPerson() || entry.raw() == null) {
            join.removed(sampleId);
            return;
        }
        join.labeled(sampleId, new ShadowJoin.RawKey(entry.raw().topic(), entry.raw().partition(),
                entry.raw().offset()), entry.label());
    }

    @Override
    public Optional<ShadowProgress> of(int version) {
        ShadowProgress done = decided.get(version);
        if (done != null) {
            return Optional.of(done);
        }
        return history.latest(version).filter(e -> e.status() == ModelStatus.SHADOW)
                .map(e -> progress(e, join.tally(version, rules.settings().confident()), null));
    }

    /** Ends the windows that are over; runs every 2 s once the history, the labels and the shadow topic are read. */
    @Scheduled(every = "2s", delay = 3, delayUnit = TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        if (!ready()) {
            return;
        }
        List<Integer> inShadow = history.versionsIn(ModelStatus.SHADOW);
        for (int v : join.versions()) {
            if (!inShadow.contains(v) && history.latest(v).isPresent()) {
                join.forget(v);
            }
        }
        for (int v : inShadow) {
            history.latest(v).ifPresent(this::check);
        }
        refreshMetrics(inShadow);
    }

    private void check(ModelEvent shadow) {
        int v = shadow.version();
        ShadowJoin.Tally tally = join.tally(v, rules.settings().confident());
        Integer champion = history.champion().map(ModelEvent::version).orElse(null);
        ShadowRules.Verdict verdict;
        if (champion == null || !champion.equals(shadow.previousChampion())) {
            verdict = new ShadowRules.Verdict(false, "the champion changed during the shadow window: v"
                    + shadow.previousChampion() + " when it began, " + (champion == null ? "none" : "v" + champion)
                    + " now; the candidate was compared with another model");
        } else if (window.complete(shadow.at(), tally.all().images(), Instant.now())) {
            verdict = rules.judge(tally, targeted(history.gate(v).orElse(null)));
        } else {
            return;
        }
        Optional<StoredModel> stored = registry.stored(v);
        if (stored.isEmpty()) {
            LOG.errorf("v%d's shadow is over (%s), but its bundle is not in the store", v, verdict.reason());
            return;
        }
        ModelStatus status = verdict.promote() ? ModelStatus.PROMOTED : ModelStatus.REJECTED;
        String reason = (verdict.promote() ? "passed the shadow window (" : "failed the shadow window (")
                + window.describe() + "): " + verdict.reason();
        if (!registry.concludeShadow(stored.get(), status, reason, shadow.previousChampion())) {
            return;
        }
        decisions.computeIfAbsent(status.name().toLowerCase(Locale.ROOT), this::counter).increment();
        remember(v, progress(shadow, tally, new ShadowProgress.Decision(status, reason, Instant.now())));
        join.forget(v);
        LOG.infof("v%d %s after its shadow: %s", v, status, reason);
    }

    private void remember(int version, ShadowProgress progress) {
        decided.put(version, progress);
        while (decided.size() > KEEP_DECIDED) {
            decided.keySet().stream().min(Integer::compare).ifPresent(decided::remove);
        }
    }

    private ShadowProgress progress(ModelEvent shadow, ShadowJoin.Tally tally, ShadowProgress.Decision decision) {
        Set<String> targeted = targeted(history.gate(shadow.version()).orElse(null));
        List<ShadowProgress.Sensor> sensors = new ArrayList<>();
        tally.sensors().forEach((id, c) -> sensors.add(new ShadowProgress.Sensor(id, targeted.contains(id), c.images(),
                c.agreed(), share(c.agreed(), c.images()), c.confident(), c.confidentAgreed(),
                share(c.confidentAgreed(), c.confident()), labels(c))));
        ShadowJoin.Counts all = tally.all();
        return new ShadowProgress(shadow.version(), shadow.previousChampion() == null ? 0 : shadow.previousChampion(),
                shadow.at(), new ShadowProgress.Window(window.images() > 0 ? window.images() : null,
                window.minutes() > 0 ? window.minutes() : null, window.endsAt(shadow.at())), all.images(),
                all.agreed(), share(all.agreed(), all.images()), List.copyOf(sensors), labels(all), decision);
    }

    private ShadowProgress.Labels labels(ShadowJoin.Counts c) {
        if (c.labeled() == 0) {
            return new ShadowProgress.Labels(0, 0, 0, null, null, null);
        }
        double[] ci = rules.interval(c);
        return new ShadowProgress.Labels(c.labeled(), c.candidateRight(), c.championRight(),
                (double) (c.candidateRight() - c.championRight()) / c.labeled(), ci[0], ci[1]);
    }

    /** The sensors the run had new labels of: the gate's targeted sensor slices. */
    static Set<String> targeted(GateReport gate) {
        if (gate == null) {
            return Set.of();
        }
        return gate.slices().stream().filter(s -> s.targeted() && s.name().startsWith("sensor:"))
                .map(s -> s.name().substring("sensor:".length())).collect(Collectors.toSet());
    }

    private static Double share(int part, int whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private boolean ready() {
        try {
            return caughtUp && history.awaitCaughtUp(0, TimeUnit.SECONDS) && labels.awaitCaughtUp(0, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void refreshMetrics(List<Integer> inShadow) {
        List<MultiGauge.Row<?>> agree = new ArrayList<>();
        List<MultiGauge.Row<?>> confident = new ArrayList<>();
        List<MultiGauge.Row<?>> n = new ArrayList<>();
        for (int v : inShadow) {
            ShadowJoin.Tally t = join.tally(v, rules.settings().confident());
            Map<String, ShadowJoin.Counts> slices = new LinkedHashMap<>();
            slices.put(ALL, t.all());
            slices.putAll(t.sensors());
            slices.forEach((sensor, c) -> {
                Tags tags = Tags.of("version", Integer.toString(v), "sensor", sensor);
                n.add(MultiGauge.Row.of(tags, c.images()));
                if (c.images() > 0) {
                    agree.add(MultiGauge.Row.of(tags, (double) c.agreed() / c.images()));
                }
                if (c.confident() > 0) {
                    confident.add(MultiGauge.Row.of(tags, (double) c.confidentAgreed() / c.confident()));
                }
            });
        }
        agreement.register(agree, true);
        confidentAgreement.register(confident, true);
        images.register(n, true);
    }

    private Counter counter(String decision) {
        return Counter.builder("argus.shadow.decisions").tag("decision", decision)
                .description("Shadow windows ended, by decision").register(meters);
    }
}
