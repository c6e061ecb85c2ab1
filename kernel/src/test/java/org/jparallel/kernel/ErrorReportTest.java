package org.jparallel.kernel;

import org.jparallel.kernel.magic.MagicException;
import org.jparallel.kernel.maven.BadCoordinateException;
import org.jparallel.kernel.maven.UnknownArtifactException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A magic's error is one line: {@code MagicError} for a usage error, its own type's name for a library's. */
class ErrorReportTest {

    @Test
    void aMagicUsageErrorIsAMagicError() {
        ErrorReport report = ErrorReport.of(new MagicException("usage: %jars GLOB..."), "cell[1]");
        assertEquals("MagicError", report.name());
        assertEquals(List.of("\u001b[1;31mMagicError\u001b[0m: usage: %jars GLOB..."), report.traceback());
    }

    @Test
    void aLibraryErrorIsNamedByItsType() {
        ErrorReport report = ErrorReport.of(new UnknownArtifactException("g:a:jar:1 was not found in central", null),
                "cell[2]");
        assertEquals("UnknownArtifactException", report.name());
        assertEquals("g:a:jar:1 was not found in central", report.value());
        assertEquals(1, report.traceback().size());
        assertEquals("BadCoordinateException", ErrorReport.of(new BadCoordinateException("bad"), "cell[3]").name());
    }
}
