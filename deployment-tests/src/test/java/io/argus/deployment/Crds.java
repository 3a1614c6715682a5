package io.argus.deployment;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * Typed models for the kinds with no Java model at hand: KEDA's ScaledObject and kustomize's
 * Kustomization, with the fields their documentation defines. Parsed with unknown fields failing.
 */
final class Crds {

    private Crds() {
    }

    record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, ScaledObjectSpec spec) {
    }

    record ScaledObjectSpec(ScaleTargetRef scaleTargetRef, Integer minReplicaCount, Integer maxReplicaCount,
                            Integer idleReplicaCount, Integer pollingInterval, Integer cooldownPeriod,
                            Map<String, Object> advanced, Map<String, Object> fallback, List<Trigger> triggers) {
    }

    record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {
    }

    record Trigger(String type, String name, Map<String, String> metadata, Map<String, String> authenticationRef,
                   String metricType, Boolean useCachedMetrics) {
    }

    record Kustomization(String apiVersion, String kind, String namespace, List<Label> labels, List<String> resources,
                         List<Image> images, List<Patch> patches) {
    }

    record Label(Map<String, String> pairs, Boolean includeSelectors, Boolean includeTemplates) {
    }

    record Image(String name, String newName, String newTag, String digest) {
    }

    record Patch(String path, String patch, Target target) {
    }

    record Target(String group, String version, String kind, String name, String namespace, String labelSelector,
                  String annotationSelector) {
    }
}
