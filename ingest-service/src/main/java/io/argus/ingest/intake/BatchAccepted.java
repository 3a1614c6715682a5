package io.argus.ingest.intake;

import java.util.List;

/** The 202 answer to a batch upload: one entry per file, in upload order. */
public record BatchAccepted(int count, List<Accepted> images) {
}
