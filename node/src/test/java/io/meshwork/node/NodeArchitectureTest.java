package io.meshwork.node;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN.md: no Netty type above networking; node depends on nothing above it. */
class NodeArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.meshwork.node");

  @Test
  void nodeUsesNoNettyType() {
    noClasses()
        .that()
        .resideInAPackage("io.meshwork.node..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .check(CLASSES);
  }

  @Test
  void nodeDependsOnNothingAboveIt() {
    noClasses()
        .that()
        .resideInAPackage("io.meshwork.node..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.meshwork.testnet..")
        .check(CLASSES);
  }
}
