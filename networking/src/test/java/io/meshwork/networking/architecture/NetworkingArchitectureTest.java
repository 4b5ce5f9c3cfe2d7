package io.meshwork.networking.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** DESIGN.md's module rules, for networking. */
class NetworkingArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.meshwork.networking");

  @Test
  void networkingDependsOnNoOtherMeshworkModule() {
    noClasses()
        .that()
        .resideInAPackage("io.meshwork.networking..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.meshwork.chain..",
            "io.meshwork.sync..",
            "io.meshwork.node..",
            "io.meshwork.testnet..")
        .check(CLASSES);
  }

  @Test
  void theCoreApiExposesNoNettyType() {
    noClasses()
        .that()
        .resideInAPackage("io.meshwork.networking.core..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .check(CLASSES);
  }

  @Test
  void theReqRespFrameworkUsesNoNettyType() {
    // The chain layer codes against it (DESIGN.md: no Netty type above networking).
    noClasses()
        .that()
        .resideInAPackage("io.meshwork.networking.reqresp..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .check(CLASSES);
  }

  @Test
  void multiformatsAndCryptoStayFreeOfTheNetworkStack() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.meshwork.networking.multiformats..", "io.meshwork.networking.crypto..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.meshwork.networking.core..",
            "io.meshwork.networking.host..",
            "io.meshwork.networking.transport..",
            "io.meshwork.networking.protocol..")
        .check(CLASSES);
  }
}
