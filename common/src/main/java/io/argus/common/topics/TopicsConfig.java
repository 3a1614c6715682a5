package io.argus.common.topics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Topic names as configured ({@code argus.topics.*}); defaults are {@link Topics}. */
@ConfigMapping(prefix = "argus.topics")
public interface TopicsConfig {

    /** Incoming images. */
    @WithDefault(Topics.RAW)
    String raw();

    /** Every classification result. */
    @WithDefault(Topics.CLASSIFIED)
    String classified();

    /** Low-confidence results for people to look at. */
    @WithDefault(Topics.REVIEW)
    String review();

    /** Dead letters with their reason. */
    @WithDefault(Topics.DLQ)
    String dlq();

    /** The labeled training set. */
    @WithDefault(Topics.LABELS)
    String labels();

    /** Model version events. */
    @WithDefault(Topics.MODELS)
    String models();

    /** Sensors flagged as drifted and cleared. */
    @WithDefault(Topics.DRIFT)
    String drift();

    /** A shadow candidate's answers beside the champion's. */
    @WithDefault(Topics.SHADOW)
    String shadow();

    default TopicNames names() {
        return new TopicNames(raw(), classified(), review(), dlq(), labels(), models(), drift(), shadow());
    }
}
