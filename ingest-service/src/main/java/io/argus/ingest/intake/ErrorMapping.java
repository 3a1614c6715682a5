package io.argus.ingest.intake;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.argus.ingest.IngestConfig;
import io.argus.ingest.publishing.KafkaUnavailable;
import io.argus.ingest.validation.Refusal;

/** Turns refusals and Kafka outages into JSON error answers. */
public class ErrorMapping {

    private final IngestConfig config;

    public ErrorMapping(IngestConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public Response refused(Refusal r) {
        return Response.status(r.status())
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(r.code(), r.getMessage(), r.files().isEmpty() ? null : r.files()))
                .build();
    }

    @ServerExceptionMapper
    public Response kafkaUnavailable(KafkaUnavailable e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody("KAFKA_UNAVAILABLE", e.getMessage() + "; retry later", null))
                .header("Retry-After", Integer.toString(config.retryAfterSeconds()))
                .build();
    }
}
