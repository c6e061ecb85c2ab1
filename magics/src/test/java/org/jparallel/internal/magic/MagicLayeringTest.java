package org.jparallel.internal.magic;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
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
                // ServiceThreads makes threads outside the cell's thread group (a cell stop interrupts that group):
                // the display's clock is one; it is no part of the wire's protocol
                .orShould().dependOnClassesThat(resideInAPackage("org.jparallel.internal.wire..")
                        .and(not(simpleName("ServiceThreads"))))
                .because("the magic parses its arguments and calls the run handle (api.PoolRun), nothing else")
                .check(EXTENSION);
    }
}
