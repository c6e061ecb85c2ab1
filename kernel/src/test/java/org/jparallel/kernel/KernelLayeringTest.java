package org.jparallel.kernel;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.jparallel.kernel.magic.MagicException;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The kernel knows nothing of parallelism: of jparallel-core it uses the snippet loader
 * ({@code org.jparallel.internal.code}) and nothing else, and nothing of the extension.
 */
class KernelLayeringTest {

    private static final JavaClasses KERNEL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.jparallel.kernel", "org.jparallel.notebook");

    @Test
    void theKernelUsesOfCoreOnlyTheSnippetLoader() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.jparallel.api..", "org.jparallel.jshell..",
                        "org.jparallel.internal.codec..", "org.jparallel.internal.shm..", "org.jparallel.internal.wire..",
                        "org.jparallel.internal.pool..", "org.jparallel.internal.process..", "org.jparallel.internal.worker..",
                        "org.jparallel.internal.manager..", "org.jparallel.internal.magic..",
                        "org.jparallel.internal.notebook..")
                .because("the kernel knows nothing of parallelism (docs/architecture.md)")
                .check(KERNEL);
    }

    @Test
    void onlyTheMavenPackageAndTheMagicsOfLibrariesUseMavensLibraries() {
        noClasses().that().resideOutsideOfPackages("org.jparallel.kernel.maven..")
                .and().doNotHaveSimpleName("NotebookLibraries").and().doNotHaveSimpleName("ResolutionProgress")
                .and().doNotHaveSimpleName("MavenMagic").and().doNotHaveSimpleName("MavenRepoMagic")
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.aether..", "org.apache.maven..",
                        "org.sonatype.plexus..", "org.codehaus.plexus..")
                .because("resolution is one package (org.jparallel.kernel.maven), so Maven's libraries stay "
                        + "in the kernel and never reach core or a worker")
                .check(KERNEL);
    }

    @Test
    void theMavenPackageResolvesAndKnowsNothingOfTheKernelNorItsMagics() {
        classes().that().resideInAPackage("org.jparallel.kernel.maven..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackages("org.jparallel.kernel", "org.jparallel.kernel.eval..",
                        "org.jparallel.kernel.io..", "org.jparallel.kernel.magic..", "org.jparallel.notebook..", "org.dflib..",
                        "org.jparallel.internal..").or(equivalentTo(MagicException.class)))
                .because("the magics parse and delegate; resolution is usable without a kernel")
                .check(KERNEL);
    }
}
