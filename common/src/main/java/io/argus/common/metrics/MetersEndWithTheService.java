package io.argus.common.metrics;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Removes every meter when the service stops. The registry Quarkus hands the beans is Micrometer's
 * global one, which lives as long as the JVM: where several services start one after the other in
 * one JVM (every service's tests), a meter registered again under the same name and tags is not
 * registered anew, the registry returns the one it already has. A gauge then reads the bean of a
 * stopped service (or nothing at all once that bean is collected): {@code argus_drift_enabled} said 0
 * while a model with a drift reference was served, because the gauge was still the first service's.
 * In production the JVM ends with the service; this costs nothing there.
 */
@ApplicationScoped
public class MetersEndWithTheService {

    /** After the services' own shutdown observers: their loops have stopped and register nothing more. */
    void stop(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) ShutdownEvent event, MeterRegistry meters) {
        meters.clear();
    }
}
