package io.argus.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/**
 * The manifests under {@code k8s/}, parsed into typed objects: fabric8's Kubernetes model for the
 * built-in kinds, Strimzi's API classes, fabric8's Prometheus-operator model, and the typed records
 * of {@link Crds} for KEDA and kustomize (which fail on unknown fields themselves). The fabric8 and
 * Strimzi classes keep unknown fields aside instead of failing; {@link #unknownFields} finds them.
 */
final class Manifests {

    /** One YAML document of one file, and what it parsed into. */
    record Manifest(Path file, String kind, Object object) {
    }

    static final Path ROOT = Path.of(System.getProperty("argus.root", "..")).toAbsolutePath().normalize();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
    private static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("Namespace", Namespace.class),
            Map.entry("ConfigMap", ConfigMap.class),
            Map.entry("Service", Service.class),
            Map.entry("PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("Deployment", Deployment.class),
            Map.entry("StatefulSet", StatefulSet.class),
            Map.entry("PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("ServiceMonitor", ServiceMonitor.class),
            Map.entry("Kafka", Kafka.class),
            Map.entry("KafkaNodePool", KafkaNodePool.class),
            Map.entry("KafkaTopic", KafkaTopic.class));

    private Manifests() {
    }

    /** Every document of every YAML file under {@code k8s/}. */
    static List<Manifest> all() {
        List<Manifest> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
                    if (doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
                        continue;
                    }
                    out.add(parse(file, doc));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> of(Class<T> type) {
        return all().stream().filter(m -> type.isInstance(m.object())).map(m -> (T) m.object()).toList();
    }

    private static Manifest parse(Path file, String doc) throws IOException {
        JsonNode tree = YAML.readTree(doc);
        String kind = tree.path("kind").asText();
        Object object;
        if (kind.equals("Kustomization")) {
            object = YAML.readValue(doc, Crds.Kustomization.class);
        } else if (kind.equals("ScaledObject")) {
            object = YAML.readValue(doc, Crds.ScaledObject.class);
        } else if (KINDS.containsKey(kind)) {
            object = KUBERNETES.unmarshal(doc, KINDS.get(kind));
        } else if (file.getParent().getFileName().toString().equals("gpu") && kind.equals("StatefulSet")) {
            object = KUBERNETES.unmarshal(doc, StatefulSet.class);
        } else {
            throw new AssertionError(file + ": kind '" + kind + "' has no typed model in this test");
        }
        return new Manifest(file, kind, object);
    }

    /** Paths of fields the typed model did not know (kept in additionalProperties maps). */
    static List<String> unknownFields(Object object) {
        List<String> out = new ArrayList<>();
        walk(object, "", out, 0);
        return out;
    }

    private static void walk(Object o, String path, List<String> out, int depth) {
        if (o == null || depth > 40) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", out, depth + 1);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, out, depth + 1));
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.kubernetes.api.model") && !pkg.startsWith("io.fabric8.openshift.api.model")
                && !pkg.startsWith("io.strimzi.api")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getName().equals("getClass")) {
                continue;
            }
            try {
                Object value = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        extra.keySet().forEach(k -> out.add(path + "." + k));
                    }
                } else {
                    walk(value, path + "." + decapitalize(m.getName().substring(3)), out, depth + 1);
                }
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // a derived getter that needs state: not a field
            }
        }
    }

    private static String decapitalize(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
