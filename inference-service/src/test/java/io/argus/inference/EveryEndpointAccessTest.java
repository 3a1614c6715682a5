package io.argus.inference;

import io.argus.common.testing.AccessControlOn;
import io.argus.common.testing.EveryEndpointAccess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every endpoint of inference answers each role as docs/access.md says (see {@link EveryEndpointAccess}). */
@QuarkusTest
@QuarkusTestResource(value = InferenceTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AccessControlOn.class, restrictToAnnotatedClass = true)
class EveryEndpointAccessTest extends EveryEndpointAccess {

    EveryEndpointAccessTest() {
        super("inference");
    }
}
