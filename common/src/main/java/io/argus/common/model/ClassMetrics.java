package io.argus.common.model;

/** Precision, recall and F1 of one class; {@code support} is how many test samples had it. */
public record ClassMetrics(String label, double precision, double recall, double f1, int support) {
}
