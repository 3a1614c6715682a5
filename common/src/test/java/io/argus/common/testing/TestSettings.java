package io.argus.common.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A test class's own settings of the service under test, given as the {@code initArgs} of this
 * resource restricted to the class: {@code @QuarkusTestResource(value = TestSettings.class,
 * restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "argus.x", value = "y"))}. What a
 * test profile does that only overrides settings, without a profile class in every such test.
 * Like a profile's overrides, its settings win where another resource of the class sets the same
 * key: it starts last, and Quarkus merges the settings of resources in the order they start.
 */
public class TestSettings implements QuarkusTestResourceLifecycleManager {

    private Map<String, String> settings = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        settings = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        return settings;
    }

    @Override
    public void stop() {
    }

    /** After the other resources (0 by default); not MAX_VALUE, as Quarkus compares orders by subtraction. */
    @Override
    public int order() {
        return Integer.MAX_VALUE / 2;
    }
}
