package io.meshwork.sync;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** DESIGN.md: sync depends on networking and chain only, and never sees Netty or protobuf. */
@AnalyzeClasses(packages = "io.meshwork.sync", importOptions = ImportOption.DoNotIncludeTests.class)
class SyncArchitectureTest {
  @ArchTest
  static final ArchRule syncDependsOnNothingAboveIt =
      noClasses()
          .that()
          .resideInAPackage("io.meshwork.sync..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("io.meshwork.node..")
                  .or(resideInAPackage("io.meshwork.testnet.."))
                  .as("a module above sync"));

  @ArchTest
  static final ArchRule syncNeverSeesNettyOrProtobuf =
      noClasses()
          .that()
          .resideInAPackage("io.meshwork.sync..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.netty..", "com.google.protobuf..");

  /** The codecs and compact block logic are sans-IO: chain model types and the JDK only. */
  @ArchTest
  static final ArchRule wireCompactAndGossipAreSansIo =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.meshwork.sync.wire..", "io.meshwork.sync.compact..", "io.meshwork.sync.gossip..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.meshwork.networking..", "java.util.concurrent..", "java.net..")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.lang.Thread")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.time.Clock");
}
