package io.argus.learning.transfer;

import java.util.List;

import org.deeplearning4j.nn.api.Model;

/**
 * What a training run starts from.
 *
 * @param labels the base's output labels; empty when they mean nothing to Argus (ImageNet)
 * @param outputs how many outputs the base has
 */
public record BaseNetwork(String description, Architecture architecture, Model network, List<String> labels,
                          int outputs) {
}
