package io.argus.common.topics;

/** The eight Argus topic names, as one value for code that runs outside Quarkus (broker, tools). */
public record TopicNames(String raw, String classified, String review, String dlq, String labels, String models,
                         String drift, String shadow) {

    public static final TopicNames DEFAULTS = new TopicNames(Topics.RAW, Topics.CLASSIFIED, Topics.REVIEW, Topics.DLQ,
            Topics.LABELS, Topics.MODELS, Topics.DRIFT, Topics.SHADOW);
}
