package io.meshwork.chain;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(
    packages = "io.meshwork.chain",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ChainArchitectureTest {
  @ArchTest
  static final ArchRule chainDependsOnNoOtherMeshworkPackage =
      noClasses()
          .that()
          .resideInAPackage("io.meshwork.chain..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("io.meshwork..")
                  .and(resideOutsideOfPackage("io.meshwork.chain.."))
                  .as("another Meshwork module"));

  @ArchTest
  static final ArchRule chainNeverSeesNetty =
      noClasses()
          .that()
          .resideInAPackage("io.meshwork.chain..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.netty..");
}
