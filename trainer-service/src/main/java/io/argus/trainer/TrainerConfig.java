package io.argus.trainer;

import java.nio.file.Path;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code argus.trainer.*}: the trainer's model store and how others reach it. */
@ConfigMapping(prefix = "argus.trainer")
public interface TrainerConfig {

    /** The model this trainer trains and announces (the key of its events on argus.models). */
    @WithDefault("argus")
    String modelName();

    /** The model store directory (bundle files). */
    @WithDefault("models")
    Path storeDir();

    /** The base URL inference services download bundles from (this service's registry). */
    @WithDefault("http://127.0.0.1:8083")
    String publicUrl();
}
