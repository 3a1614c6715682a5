package io.argus.common.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Access control on, with one key per role ({@link TestKeys}), for a service under test: add it to
 * a test class with {@code restrictToAnnotatedClass = true} beside the resource that starts the
 * broker.
 */
public class AccessControlOn implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestKeys.accessControlOn();
    }

    @Override
    public void stop() {
    }
}
