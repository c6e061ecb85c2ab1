package org.jparallel.internal.magic;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The magics parse their arguments and call the pool through its run handle ({@code api.PoolRun}): they reach
 * into no run, gatherer or wire message of the pool's internals (docs/architecture.md).
 */
class MagicLayeringTest {

    private static final JavaClasses EXTENSION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.jparallel.internal.magic", "org.jparallel.internal.notebook");

    @Test
    void theMagicsUseTheRunHandleNotThePoolsRunsNorTheWire() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("org.jparallel.internal.pool.Run")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.jparallel.internal.pool.Gatherer")
                .orShould().dependOnClassesThat().resideInAPackage("org.jparallel.internal.wire..")
                .because("the magic parses its arguments and calls the run handle (api.PoolRun), nothing else")
                .check(EXTENSION);
    }
}
