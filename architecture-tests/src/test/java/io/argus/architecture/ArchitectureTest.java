package io.argus.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout of the code base as rules that fail the build when broken, so the rooms stay tidy as
 * features land: packages by feature without cycles, a learning library that is plain Java, tools
 * that run without a service container, services that talk only through Kafka and HTTP.
 */
class ArchitectureTest {

    private static JavaClasses argus;

    @BeforeAll
    static void importArgus() {
        argus = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.argus");
    }

    @Test
    void noPackageDependsOnAPackageThatDependsOnIt() {
        // Each package of each module is a slice, e.g. io.argus.common.model, io.argus.inference.batching.
        slices().matching("io.argus.(*).(*)..").should().beFreeOfCycles().check(argus);
    }

    @Test
    void theModulesDependInOneDirection() {
        slices().matching("io.argus.(*)..").should().beFreeOfCycles().check(argus);
    }

    @Test
    void theLearningLibraryIsPlainJava() {
        noClasses().that().resideInAPackage("io.argus.learning..")
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta.enterprise..",
                        "jakarta.inject..", "jakarta.ws.rs..", "io.smallrye..", "io.vertx..", "org.jboss..")
                .because("training, evaluation and pruning run in the trainer, the reports and tests alike")
                .check(argus);
    }

    @Test
    void theToolsNeedNoServiceContainer() {
        noClasses().that().resideInAPackage("io.argus.tools..")
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta.enterprise..",
                        "io.argus.ingest..", "io.argus.inference..", "io.argus.trainer..")
                .because("every offline command runs from the plain tools jar").check(argus);
    }

    @Test
    void servicesTalkToEachOtherOnlyThroughKafkaAndHttp() {
        noClasses().that().resideInAPackage("io.argus.ingest..")
                .should().dependOnClassesThat().resideInAnyPackage("io.argus.inference..", "io.argus.trainer..")
                .check(argus);
        noClasses().that().resideInAPackage("io.argus.inference..")
                .should().dependOnClassesThat().resideInAnyPackage("io.argus.ingest..", "io.argus.trainer..",
                        "io.argus.learning..")
                .check(argus);
        noClasses().that().resideInAPackage("io.argus.trainer..")
                .should().dependOnClassesThat().resideInAnyPackage("io.argus.ingest..", "io.argus.inference..")
                .check(argus);
    }

    @Test
    void httpStatusesLiveOnlyAtTheRestBoundary() {
        noClasses().that().resideInAnyPackage("io.argus.common.error..", "io.argus.common.image..",
                        "io.argus.common.contract..", "io.argus.learning..")
                .should().dependOnClassesThat().resideInAPackage("jakarta.ws.rs..")
                .check(argus);
    }
}
