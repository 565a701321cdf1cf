package com.emotionmonitor.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The allowed dependencies between the modules and packages, checked on the compiled main code of every module
 * (this module's test classpath holds them all, the test kit included). Maven already refuses a module that uses
 * another it does not declare; these rules say which declarations may exist at all, and forbid package cycles.
 *
 * <pre>
 * schemas        com.emotionmonitor.schema                    Avro wire contracts
 * emotion-core   data, text, model.., store, serving           what a TaskManager loads: no Flink, no CLI, no trainer
 * emotion-train  train..                                       builds model versions (uses core); train.hf imports
 *                                                              Hugging Face checkpoints (the only user of the unpickler)
 * flink-job      job..                                         the streaming job (uses core, schemas)
 * kafka-embedded embedded                                      an in-process KRaft broker
 * emotion-dashboard dashboard..                                the live page: a consumer of the topics (uses schemas only)
 * emotion-cli    cli, demo, bench, tools                       bin/emotion (uses all of the above)
 * emotion-testkit testkit                                      fixtures for tests only: no main code uses it
 * </pre>
 *
 * Inside the job: {@code job.compare} (the shadow comparison windows) only compares labels it is given, it never
 * touches a model; {@code job.drift} (divergence and the reference shares) is plain Java, usable outside a stream.
 */
@AnalyzeClasses(packages = "com.emotionmonitor", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] CORE = {"com.emotionmonitor.data..", "com.emotionmonitor.text..",
        "com.emotionmonitor.model..", "com.emotionmonitor.store..", "com.emotionmonitor.serving.."};
    private static final String[] CLI = {"com.emotionmonitor.cli..", "com.emotionmonitor.demo..",
        "com.emotionmonitor.bench..", "com.emotionmonitor.tools.."};

    @ArchTest
    static final ArchRule modulesDependOnlyDownwards = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("schemas").definedBy("com.emotionmonitor.schema..")
            .layer("core").definedBy(CORE)
            .layer("train").definedBy("com.emotionmonitor.train..")
            .layer("job").definedBy("com.emotionmonitor.job..")
            .layer("embedded").definedBy("com.emotionmonitor.embedded..")
            .layer("dashboard").definedBy("com.emotionmonitor.dashboard..")
            .layer("cli").definedBy(CLI)
            .layer("testkit").definedBy("com.emotionmonitor.testkit..")
            .whereLayer("testkit").mayNotBeAccessedByAnyLayer()
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("job").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("train").mayOnlyBeAccessedByLayers("cli", "testkit")
            .whereLayer("embedded").mayOnlyBeAccessedByLayers("cli", "testkit")
            .whereLayer("dashboard").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("core").mayOnlyBeAccessedByLayers("train", "job", "cli", "testkit")
            .whereLayer("schemas").mayOnlyBeAccessedByLayers("job", "cli", "dashboard");

    /** The page reads the wire contracts: neither the job (nor Flink) nor the model runtime, the trainer or a broker. */
    @ArchTest
    static final ArchRule theDashboardIsAConsumerOfTheTopicsOnly = noClasses().that().resideInAPackage("com.emotionmonitor.dashboard..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "ai.djl..", "kafka..",
                    "org.apache.kafka.server..", "picocli..", "com.emotionmonitor.job..", "com.emotionmonitor.train..",
                    "com.emotionmonitor.serving..", "com.emotionmonitor.model..", "com.emotionmonitor.embedded..");

    @ArchTest
    static final ArchRule theServingCoreKnowsNoFlinkKafkaCliOrTrainer = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "org.apache.kafka..", "kafka..",
                    "picocli..", "me.tongfei.progressbar..", "com.emotionmonitor.train..");

    @ArchTest
    static final ArchRule trainingKnowsNoFlinkKafkaOrCli = noClasses().that().resideInAPackage("com.emotionmonitor.train..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "org.apache.kafka..", "kafka..",
                    "picocli..");

    @ArchTest
    static final ArchRule theJobCarriesNoBrokerNoCliNoTrainer = noClasses().that().resideInAPackage("com.emotionmonitor.job..")
            .should().dependOnClassesThat().resideInAnyPackage("kafka..", "org.apache.kafka.server..",
                    "org.apache.kafka.raft..", "org.apache.kafka.controller..", "picocli..", "me.tongfei.progressbar..",
                    "com.emotionmonitor.train..", "com.emotionmonitor.embedded..");

    /** Pickle reading stays in the import: nothing that serves or trains ever unpickles. */
    @ArchTest
    static final ArchRule onlyTheHuggingFaceImportUnpickles = noClasses().that().resideOutsideOfPackage("com.emotionmonitor.train.hf..")
            .should().dependOnClassesThat().resideInAPackage("net.razorvine..");

    @ArchTest
    static final ArchRule shadowComparisonsOnlyCompareLabels = noClasses().that().resideInAPackage("com.emotionmonitor.job.compare..")
            .should().dependOnClassesThat().resideInAnyPackage("com.emotionmonitor.job.model..", "com.emotionmonitor.serving..",
                    "com.emotionmonitor.model..", "org.apache.kafka..");

    @ArchTest
    static final ArchRule driftFiguresNeedNoStream = noClasses().that().resideInAPackage("com.emotionmonitor.job.drift..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "org.apache.kafka..");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("com.emotionmonitor.(**)").should().beFreeOfCycles();
}
