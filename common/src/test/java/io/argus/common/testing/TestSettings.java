package io.argus.common.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A test class's own settings of the service under test, given as the {@code initArgs} of this
 * resource restricted to the class: {@code @QuarkusTestResource(value = TestSettings.class,
 * restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "argus.x", value = "y"))}. What a
 * test profile does that only overrides settings, without a profile class in every such test.
 * Started after the test's other resources, so its settings win over theirs (a resource's default
 * for every test, such as no label rate limit, overridden by the one test that needs a limit).
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

    @Override
    public int order() {
        return Integer.MAX_VALUE;
    }
}
