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
}
