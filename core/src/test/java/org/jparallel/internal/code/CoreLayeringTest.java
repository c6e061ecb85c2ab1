package org.jparallel.internal.code;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.targetOwner;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * How jparallel-core's packages may depend on each other: the internals never call the public facade back
 * or the jshell engine, and nothing in core names Jupyter, the kernel or the extension (which are not on its
 * class path at all: Maven enforces that much; these rules say it where a reader looks). Launching a worker
 * JVM and printing its output is a package below both pools and stand-alone processes; the code a worker
 * runs is a package below all three; and the code source of what starts now is looked up by the public
 * factory methods alone, every internal class receiving it through its constructor.
 */
class CoreLayeringTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.jparallel.api", "org.jparallel.internal", "org.jparallel.jshell");

    /** The public classes whose static methods and constructors start things: the user's entry points. */
    private static final String[] ENTRY_POINTS = {"org.jparallel.api.WorkerPool", "org.jparallel.api.WorkerProcess",
            "org.jparallel.api.Manager", "org.jparallel.api.Shared"};

    @Test
    void theInternalPackagesDependOnEachOtherOneWay() {
        slices().matching("org.jparallel.internal.(*)..").namingSlices("internal.$1")
                .should().beFreeOfCycles()
                .check(CORE);
    }

    @Test
    void theInternalsUseTheApisTypesButNeverItsEntryPoints() {
        noClasses().that().resideInAPackage("org.jparallel.internal..")
                .should().callCodeUnitWhere(targetOwner(nameMatching(String.join("|", ENTRY_POINTS).replace(".", "\\."))))
                .because("the public API stands above the internals: they speak its interfaces and exceptions, "
                        + "and are started by it, never through it (docs/architecture.md)")
                .check(CORE);
    }

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
    void theSnippetCodeStandsOnTheCodecAndTheWireOnly() {
        noClasses().that().resideInAPackage("org.jparallel.internal.code..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jparallel.internal.shm..",
                        "org.jparallel.internal.pool..", "org.jparallel.internal.process..",
                        "org.jparallel.internal.launch..", "org.jparallel.internal.worker..",
                        "org.jparallel.internal.manager..")
                .check(CORE);
    }

    @Test
    void launchingKnowsNeitherPoolsNorProcesses() {
        noClasses().that().resideInAPackage("org.jparallel.internal.launch..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jparallel.internal.pool..",
                        "org.jparallel.internal.process..")
                .check(CORE);
    }

    @Test
    void processesDoNotBorrowFromPools() {
        noClasses().that().resideInAPackage("org.jparallel.internal.process..")
                .should().dependOnClassesThat().resideInAPackage("org.jparallel.internal.pool..")
                .check(CORE);
    }

    /** Calls and method references both count: {@code CodeSources::currentCell} reads the global as late as a call. */
    @Test
    void onlyThePublicFactoryMethodsLookUpTheCurrentCodeSource() {
        noClasses().that().resideOutsideOfPackage("org.jparallel.api")
                .should().accessTargetWhere(targetOwner(equivalentTo(CodeSources.class))
                        .and(target(nameMatching("current|currentCell"))))
                .check(CORE);
    }
}
