package io.argus.learning.transfer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.Adler32;

import org.apache.commons.io.FileUtils;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.VGG16;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * ImageNet CNNs from the DL4J zoo as transfer-learning bases. Their weight files are read from a
 * configured directory under the zoo's own file names; only if the file is missing and downloads
 * are allowed does the zoo fetch it (and verify its published checksum). A file whose checksum
 * is not the published one is used with a warning: it is someone's weights, not ImageNet's.
 */
public final class ZooModels {

    private static final Logger LOG = LoggerFactory.getLogger(ZooModels.class);

    private final Optional<Path> weightsDir;
    private final boolean download;

    public ZooModels(Optional<Path> weightsDir, boolean download) {
        this.weightsDir = weightsDir;
        this.download = download;
    }

    /** The pretrained network of a zoo architecture. */
    public ComputationGraph pretrained(Architecture arch) throws IOException {
        ZooModel zoo = zoo(arch, 1000);
        String url = zoo.pretrainedUrl(PretrainedType.IMAGENET);
        String fileName = weightFileName(arch);
        if (weightsDir.isPresent()) {
            Path file = weightsDir.get().resolve(fileName);
            if (Files.isRegularFile(file)) {
                long expected = zoo.pretrainedChecksum(PretrainedType.IMAGENET);
                long actual = FileUtils.checksum(file.toFile(), new Adler32()).getValue();
                if (actual != expected) {
                    LOG.warn("{} does not have the published {} ImageNet checksum ({}, expected {}): using it anyway",
                            file, arch.name(), actual, expected);
                }
                return ModelSerializer.restoreComputationGraph(file.toFile(), false);
            }
        }
        if (!download) {
            throw new IOException("no " + arch.name() + " ImageNet weights: put " + fileName + " (from " + url + ") in "
                    + weightsDir.map(Path::toString).orElse("a directory named by argus.trainer.zoo.weights-dir")
                    + ", or allow downloads with argus.trainer.zoo.download=true");
        }
        LOG.info("Downloading {} ImageNet weights from {}", arch.name(), url);
        return (ComputationGraph) zoo.initPretrained(PretrainedType.IMAGENET);
    }

    /** A randomly initialised network of the architecture, for {@code classes} outputs. */
    public static ComputationGraph random(Architecture arch, int classes, long seed) {
        ZooModel zoo = zoo(arch, classes, seed);
        return (ComputationGraph) zoo.init();
    }

    /** The architecture's network configuration, without allocating weights. */
    public static ComputationGraphConfiguration configuration(Architecture arch, int classes) {
        ZooModel zoo = zoo(arch, classes);
        return switch (arch.name()) {
            // SqueezeNet's builder leaves the input to init(); add it as init() does.
            case "squeezenet" -> ((SqueezeNet) zoo).graphBuilder().addInputs("input")
                    .setInputTypes(InputType.convolutional(arch.input().height(),
                            arch.input().width(), arch.input().channels())).build();
            case "resnet50" -> ((ResNet50) zoo).graphBuilder().build();
            case "vgg16" -> ((VGG16) zoo).conf();
            default -> throw new IllegalArgumentException(arch.name() + " is not a DL4J zoo model");
        };
    }

    /** The file name the zoo gives the architecture's ImageNet weights. */
    public static String weightFileName(Architecture arch) {
        String url = zoo(arch, 1000).pretrainedUrl(PretrainedType.IMAGENET);
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static ZooModel zoo(Architecture arch, int classes) {
        return zoo(arch, classes, 1234);
    }

    private static ZooModel zoo(Architecture arch, int classes, long seed) {
        return switch (arch.name()) {
            case "squeezenet" -> SqueezeNet.builder().numClasses(classes).seed(seed).build();
            // The zoo's default init makes ResNet-50 produce NaN; He (ReLU) init does not.
            case "resnet50" -> ResNet50.builder().numClasses(classes).seed(seed).weightInit(new WeightInitRelu())
                    .build();
            case "vgg16" -> VGG16.builder().numClasses(classes).seed(seed).build();
            default -> throw new IllegalArgumentException(arch.name() + " is not a DL4J zoo model");
        };
    }

    /** Saves a network as a zoo weight file (what a user copies into the weights directory). */
    public static void save(Model network, File file) throws IOException {
        ModelSerializer.writeModel(network, file, false);
    }
}
