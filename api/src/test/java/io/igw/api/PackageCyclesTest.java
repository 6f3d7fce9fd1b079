package io.igw.api;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * No package cycle in the api module's main code: not between top-level packages, not between any
 * two.
 */
@AnalyzeClasses(packages = "io.igw.api", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {
  /** Each top-level package with its subpackages (io.igw.api.core.., ...) is one slice. */
  @ArchTest
  static final ArchRule topLevelPackagesAreFreeOfCycles =
      slices().matching("io.igw.api.(*)..").should().beFreeOfCycles();

  /** Every package on its own, the module's top package io.igw.api included. */
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().matching("io.igw.(**)").should().beFreeOfCycles();
}
