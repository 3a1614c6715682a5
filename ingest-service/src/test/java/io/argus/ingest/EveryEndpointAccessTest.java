package io.argus.ingest;

import io.argus.common.testing.AccessControlOn;
import io.argus.common.testing.EveryEndpointAccess;
import io.argus.local.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every endpoint of ingest answers each role as docs/access.md says (see {@link EveryEndpointAccess}). */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = AccessControlOn.class, restrictToAnnotatedClass = true)
class EveryEndpointAccessTest extends EveryEndpointAccess {

    EveryEndpointAccessTest() {
        super("ingest");
    }
}
