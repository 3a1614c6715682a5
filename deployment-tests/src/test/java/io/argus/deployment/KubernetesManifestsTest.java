package io.argus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.argus.common.security.ApiKeys;
import io.argus.common.security.Roles;
import io.argus.common.topics.TopicNames;
import io.argus.common.topics.TopicSpec;
import io.argus.common.topics.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

class KubernetesManifestsTest {

    @Test
    void everyManifestParsesIntoATypedObjectWithNoUnknownField() {
        List<Manifests.Manifest> all = Manifests.all();

        assertThat(all).extracting(Manifests.Manifest::kind).contains("Deployment", "StatefulSet", "Service",
                "ConfigMap", "PersistentVolumeClaim", "Kafka", "KafkaNodePool", "KafkaTopic", "ScaledObject",
                "PodDisruptionBudget", "ServiceMonitor", "Kustomization", "Namespace");
        for (Manifests.Manifest m : all) {
            assertThat(Manifests.unknownFields(m.object())).as(m.file() + " " + m.kind()).isEmpty();
        }
    }

    @Test
    void aTypoInAFieldNameIsCaught() throws IOException {
        String typo = Files.readString(Manifests.ROOT.resolve("k8s/base/ingest.yaml")).replace("readinessProbe",
                "readynessProbe");
        Deployment d = new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
                .unmarshal(typo.split("(?m)^---\\s*$")[0], Deployment.class);

        assertThat(Manifests.unknownFields(d)).anyMatch(p -> p.endsWith("readynessProbe"));
    }

    @Test
    void theKafkaTopicsAreCommonsTopicSpecs() {
        Map<String, KafkaTopic> topics = Manifests.of(KafkaTopic.class).stream()
                .collect(Collectors.toMap(t -> t.getSpec().getTopicName(), Function.identity()));
        int imagePartitions = topics.get(Topics.RAW).getSpec().getPartitions();

        List<TopicSpec> specs = TopicSpec.argusTopics(TopicNames.DEFAULTS, imagePartitions);
        for (TopicSpec spec : specs) {
            KafkaTopic t = topics.get(spec.name());
            assertThat(t).as(spec.name()).isNotNull();
            assertThat(t.getSpec().getPartitions()).as(spec.name()).isEqualTo(spec.partitions());
            Map<String, String> config = t.getSpec().getConfig().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
            assertThat(config).as(spec.name()).isEqualTo(spec.configs());
            assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "argus");
        }
        assertThat(topics).as("no topic the services do not know").hasSameSizeAs(specs);
    }

    @Test
    void inferenceScalesOnItsConsumerLagUpToThePartitionCount() {
        Crds.ScaledObject scaler = Manifests.of(Crds.ScaledObject.class).get(0);
        int partitions = Manifests.of(KafkaTopic.class).stream()
                .filter(t -> t.getSpec().getTopicName().equals(Topics.RAW)).findFirst().orElseThrow()
                .getSpec().getPartitions();

        assertThat(scaler.spec().scaleTargetRef().kind()).isEqualTo("StatefulSet");
        assertThat(scaler.spec().scaleTargetRef().name()).isEqualTo("argus-inference");
        assertThat(scaler.spec().maxReplicaCount()).isLessThanOrEqualTo(partitions);
        Crds.Trigger trigger = scaler.spec().triggers().get(0);
        assertThat(trigger.type()).isEqualTo("kafka");
        assertThat(trigger.metadata()).containsEntry("topic", Topics.RAW).containsEntry("consumerGroup", "argus-inference");
    }

    @Test
    void aRestartedInferencePodKeepsItsReplicaIdentity() {
        StatefulSet inference = Manifests.of(StatefulSet.class).stream()
                .filter(s -> s.getMetadata().getName().equals("argus-inference") && s.getSpec().getSelector() != null)
                .findFirst().orElseThrow();

        assertThat(inference.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("ARGUS_INFERENCE_REPLICA_ID");
                    assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
                });
    }

    @Test
    void everyWorkloadHasProbesResourcesAndARestrictedSecurityContext() {
        List<PodSpec> pods = workloadPods();

        assertThat(pods).hasSize(3);
        for (PodSpec pod : pods) {
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            for (Container c : pod.getContainers()) {
                assertThat(c.getReadinessProbe()).as(c.getName()).isNotNull();
                assertThat(c.getLivenessProbe()).as(c.getName()).isNotNull();
                assertThat(c.getResources().getRequests()).as(c.getName()).containsKeys("cpu", "memory");
                assertThat(c.getResources().getLimits()).as(c.getName()).containsKey("memory");
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(c.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
            }
        }
    }

    @Test
    void everyServiceReadsItsApiKeysFromTheSecretNeverFromTheRepository() {
        List<PodSpec> pods = workloadPods();
        ConfigMap config = Manifests.of(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("argus-config")).findFirst().orElseThrow();
        String keysFile = config.getData().get("ARGUS_SECURITY_KEYS_FILE");

        assertThat(keysFile).isNotBlank();
        for (PodSpec pod : pods) {
            assertThat(pod.getVolumes()).anyMatch(v -> v.getSecret() != null
                    && v.getSecret().getSecretName().equals("argus-keys"));
            assertThat(pod.getContainers().get(0).getVolumeMounts())
                    .anyMatch(m -> keysFile.startsWith(m.getMountPath() + "/") && Boolean.TRUE.equals(m.getReadOnly()));
            // The mounted secret is group-readable for the non-root user.
            assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(pod.getSecurityContext().getRunAsUser());
        }
        assertThat(Manifests.all()).noneMatch(m -> m.object() instanceof io.fabric8.kubernetes.api.model.Secret);
    }

    @Test
    void inferenceDownloadsBundlesWithAModelReaderKeyOfTheSecret() {
        StatefulSet inference = Manifests.of(StatefulSet.class).stream()
                .filter(s -> s.getMetadata().getName().equals("argus-inference") && s.getSpec().getSelector() != null)
                .findFirst().orElseThrow();
        // The Secret argus-keys is made from a file in the format of deploy/keys.example (k8s/README.md).
        ApiKeys example = ApiKeys.read(Manifests.ROOT.resolve("deploy/keys.example"));

        String name = inference.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("ARGUS_INFERENCE_MODEL_API_KEY_NAME")).map(EnvVar::getValue)
                .findFirst().orElse(null);
        assertThat(name).as("the key inference sends for bundles").isNotBlank();
        assertThat(example.named(name).map(ApiKeys.Key::roles).orElse(Set.of())).as(name)
                .containsExactly(Roles.MODEL_READER);
    }

    /**
     * What ./argus bench measured outside the heap for ResNet-50 at 224x224 on ONNX Runtime (the
     * most of its runs, 1920x1080 JPEGs), and what a hot swap adds there (a second model's weights
     * and arena): docs/serving.md#settings-per-model.
     */
    private static final long RESNET50_OUTSIDE_HEAP_MIB = 948;
    private static final long SWAP_SECOND_RESNET50_MIB = 670;

    @Test
    void everyJvmFitsItsMemoryLimitAndInferenceFitsResNet50WithAHotSwap() {
        Map<String, Container> containers = workloadPods().stream()
                .flatMap(p -> Stream.concat(p.getContainers().stream(),
                        p.getInitContainers() == null ? Stream.empty() : p.getInitContainers().stream()))
                .collect(Collectors.toMap(Container::getName, Function.identity()));

        for (Container c : containers.values()) {
            String opts = c.getEnv() == null ? null : c.getEnv().stream().filter(e -> e.getName().equals("JAVA_OPTS"))
                    .map(EnvVar::getValue).findFirst().orElse(null);
            if (opts == null) {
                continue;
            }
            long limit = mib(c.getResources().getLimits().get("memory"));
            assertThat(option(opts, "-Xmx")).as(c.getName() + " heap").isPositive().isLessThan(limit);
            long nd4j = option(opts, "-Dorg.bytedeco.javacpp.maxphysicalbytes=");
            if (nd4j > 0) {
                // ND4J must refuse (a Java OutOfMemoryError) before the kernel kills the container.
                assertThat(nd4j).as(c.getName() + " maxphysicalbytes").isLessThan(limit);
            }
            assertThat(mib(c.getResources().getRequests().get("memory"))).as(c.getName() + " request")
                    .isLessThanOrEqualTo(limit);
        }

        Container inference = containers.get("inference");
        String opts = inference.getEnv().stream().filter(e -> e.getName().equals("JAVA_OPTS")).map(EnvVar::getValue)
                .findFirst().orElseThrow();
        assertThat(option(opts, "-Xmx") + RESNET50_OUTSIDE_HEAP_MIB + SWAP_SECOND_RESNET50_MIB)
                .as("inference: heap + ONNX Runtime's ResNet-50 + a hot swap")
                .isLessThanOrEqualTo(mib(inference.getResources().getLimits().get("memory")));
        assertThat(option(opts, "-Xmx")).as("ResNet-50 does not load with -Xmx256m").isGreaterThanOrEqualTo(512);
    }

    /** A JVM size option ({@code -Xmx1g}, {@code ...=2800m}) in MiB; 0 if absent. */
    private static long option(String opts, String prefix) {
        for (String o : opts.trim().split("\\s+")) {
            if (o.startsWith(prefix)) {
                String v = o.substring(prefix.length()).toLowerCase(java.util.Locale.ROOT);
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                return switch (v.charAt(v.length() - 1)) {
                    case 'g' -> n * 1024;
                    case 'm' -> n;
                    default -> throw new IllegalArgumentException("size with g or m expected: " + o);
                };
            }
        }
        return 0;
    }

    private static long mib(Quantity q) {
        return Quantity.getAmountInBytes(q).longValueExact() / (1024 * 1024);
    }

    @Test
    void theGpuOverlayGivesInferenceAGpuOnGpuNodesItsGpuImageAndTheCudaProvider() {
        StatefulSet patch = Manifests.all().stream()
                .filter(m -> m.file().endsWith(Path.of("overlays/gpu/inference-gpu.yaml")))
                .map(m -> (StatefulSet) m.object()).findFirst().orElseThrow();
        PodSpec pod = patch.getSpec().getTemplate().getSpec();

        assertThat(pod.getContainers().get(0).getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(pod.getTolerations()).anyMatch(t -> t.getKey().equals("nvidia.com/gpu"));
        assertThat(pod.getContainers().get(0).getEnv())
                .anyMatch(e -> e.getName().equals("ARGUS_INFERENCE_ONNX_CUDA") && e.getValue().equals("true"));
        Crds.Kustomization gpu = kustomization("k8s/overlays/gpu/kustomization.yaml");
        assertThat(gpu.images()).anyMatch(i -> i.name().equals("argus/inference-service") && i.newTag().endsWith("-gpu"));
        assertThat(gpu.patches()).anyMatch(p -> p.path().equals("inference-gpu.yaml"));
    }

    @Test
    void theBaseKustomizationListsEveryManifestOfTheBase() throws IOException {
        Crds.Kustomization base = kustomization("k8s/base/kustomization.yaml");
        try (Stream<Path> files = Files.list(Manifests.ROOT.resolve("k8s/base"))) {
            List<String> yaml = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).sorted().toList();
            assertThat(base.resources()).containsExactlyInAnyOrderElementsOf(yaml);
        }
        assertThat(base.labels().get(0).pairs()).containsEntry("app.kubernetes.io/part-of", "argus");
    }

    private static Crds.Kustomization kustomization(String file) {
        return Manifests.all().stream().filter(m -> m.file().endsWith(Path.of(file)))
                .map(m -> (Crds.Kustomization) m.object()).findFirst().orElseThrow();
    }

    /** The pods of the workloads, every Deployment's and StatefulSet's (not the GPU overlay's patch: no selector). */
    private static List<PodSpec> workloadPods() {
        return Stream.concat(
                Manifests.of(Deployment.class).stream().map(d -> d.getSpec().getTemplate().getSpec()),
                Manifests.of(StatefulSet.class).stream().filter(s -> s.getSpec().getSelector() != null)
                        .map(s -> s.getSpec().getTemplate().getSpec())).toList();
    }
}
