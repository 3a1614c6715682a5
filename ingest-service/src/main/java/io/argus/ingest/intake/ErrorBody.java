package io.argus.ingest.intake;

import java.util.List;

import io.argus.ingest.validation.Refusal;

/** Every error answer of ingest: a machine-readable code, a message for people, per-file details for batches. */
public record ErrorBody(String code, String message, List<Refusal.FileRefusal> files) {
}
