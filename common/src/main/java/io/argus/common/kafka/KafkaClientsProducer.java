package io.argus.common.kafka;

import java.util.Map;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.smallrye.common.annotation.Identifier;

/**
 * Gives every service one {@link KafkaClients}, made from its {@code kafka.*} configuration (the
 * map Quarkus' Kafka extension builds: bootstrap servers and security settings).
 */
@Singleton
public class KafkaClientsProducer {

    @Produces
    @Singleton
    KafkaClients kafkaClients(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        return new KafkaClients(kafka);
    }
}
