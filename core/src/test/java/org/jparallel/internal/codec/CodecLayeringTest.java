package org.jparallel.internal.codec;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The codec is at the bottom of the internals: it knows the JDK, Jackson and the public types, and none of the
 * types it carries (shared memory and manager proxies travel through {@link SentByReference}) nor the messages
 * that carry it (the wire encodes its own).
 */
class CodecLayeringTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.jparallel");

    @Test
    void theCodecStandsOnTheJdkJacksonAndThePublicTypesOnly() {
        classes().that().resideInAPackage("org.jparallel.internal.codec..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("org.jparallel.internal.codec..",
                        "org.jparallel.api..", "java..", "com.fasterxml.jackson..",
                        "sun.reflect..") // jdk.unsupported: FieldShape allocates a plain object without its constructor
                .because("shared types say how they travel (SentByReference) and the wire owns its messages"
                        + " (docs/architecture.md)")
                .check(CORE);
    }

    /** Naming Jackson's classes, as the launcher does to find their jars, is not using them. */
    @Test
    void onlyTheCodecAndTheWireWriteSmile() {
        noClasses().that().resideOutsideOfPackages("org.jparallel.internal.codec..", "org.jparallel.internal.wire..")
                .should().accessClassesThat().resideInAPackage("com.fasterxml.jackson..")
                .because("values are encoded by the codec and messages by the wire, nowhere else")
                .check(CORE);
    }
}
