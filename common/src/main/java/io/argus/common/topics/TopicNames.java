package io.argus.common.topics;

/** The seven Argus topic names, as one value for code that runs outside Quarkus (broker, tools). */
public record TopicNames(String raw, String classified, String review, String dlq, String labels, String models,
                         String drift) {

    public static final TopicNames DEFAULTS = new TopicNames(Topics.RAW, Topics.CLASSIFIED, Topics.REVIEW, Topics.DLQ,
            Topics.LABELS, Topics.MODELS, Topics.DRIFT);
}
