package org.jparallel.internal.code;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * How jparallel-core's packages may depend on each other: the internals never call the public facade back
 * or the jshell engine, and nothing in core names Jupyter, the kernel or the extension (which are not on its
 * class path at all: Maven enforces that much; these rules say it where a reader looks).
 */
class CoreLayeringTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.jparallel.api", "org.jparallel.internal", "org.jparallel.jshell");

    @Test
    void coreNamesNothingOfJupyterTheKernelOrTheExtension() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.jparallel.kernel..", "org.jparallel.notebook..",
                        "org.jparallel.internal.magic..", "org.jparallel.internal.notebook..", "org.dflib..",
                        "org.zeromq..", "com.google.gson..")
                .check(CORE);
    }

    @Test
    void theInternalsDoNotUseTheJshellEngine() {
        noClasses().that().resideInAnyPackage("org.jparallel.api..", "org.jparallel.internal..")
                .should().dependOnClassesThat().resideInAPackage("org.jparallel.jshell..")
                .check(CORE);
    }

    @Test
    void theSnippetCodeStandsOnTheCodecAndThePoolsContractOnly() {
        noClasses().that().resideInAPackage("org.jparallel.internal.code..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jparallel.internal.shm..",
                        "org.jparallel.internal.process..", "org.jparallel.internal.worker..",
                        "org.jparallel.internal.manager..")
                .check(CORE);
    }
}
