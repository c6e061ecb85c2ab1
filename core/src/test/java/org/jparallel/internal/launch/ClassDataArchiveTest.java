package org.jparallel.internal.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which class-data flags a worker gets, and which archive file counts as usable. No JVM is started. */
class ClassDataArchiveTest {

    private static final String JAVA = "/opt/jdk/bin/java";

    @Test
    void optionsOfTheUsersThatTouchClassDataSharingTurnOursOff() {
        for (String option : List.of("-Xshare:off", "-Xshare:on", "-XX:SharedArchiveFile=/x.jsa", "-XX:ArchiveClassesAtExit=a",
                "-XX:AOTCache=app.aot", "-XX:AOTMode=record", "-XX:AOTCacheOutput=a.aot", "-XX:+AutoCreateSharedArchive",
                "-XX:DumpLoadedClassList=l", "-XX:SharedClassListFile=l")) {
            assertTrue(ClassDataArchive.userChoseSharing(List.of("-Xmx1g", option)), option);
        }
        assertFalse(ClassDataArchive.userChoseSharing(List.of("-Xmx1g", "-XX:+UseG1GC", "-Xlog:class+load", "-Dx=-Xshare:off")));
        assertFalse(ClassDataArchive.userChoseSharing(List.of()));
    }

    @Test
    void onlyTheJarsBeforeTheFirstDirectoryAreArchived(@TempDir Path dir) throws IOException {
        Path a = Files.write(dir.resolve("a.jar"), new byte[]{1});
        Path b = Files.write(dir.resolve("b.jar"), new byte[]{2});
        Path classes = Files.createDirectory(dir.resolve("classes"));
        String sep = File.pathSeparator;
        assertEquals(List.of(a.toString(), b.toString()), ClassDataArchive.leadingJars(a + sep + b + sep + classes + sep + a));
        assertEquals(List.of(), ClassDataArchive.leadingJars(classes + sep + a));
        assertEquals(List.of(a.toString()), ClassDataArchive.leadingJars(a + sep + dir.resolve("missing.jar") + sep + b));
        assertNull(ClassDataArchive.of(JAVA, dir, List.of()), "nothing to archive, no archive");
    }

    @Test
    void theDumpLinksClassesOnlyWhereTheJdkCan() {
        Path list = Path.of("/c/w.classlist");
        Path out = Path.of("/c/w.jsa.tmp");
        List<String> jdk17 = ClassDataArchive.dumpCommand(JAVA, 17, list, out, "a.jar");
        assertEquals(List.of(JAVA, "-Xshare:dump", "-XX:SharedClassListFile=/c/w.classlist", "-XX:SharedArchiveFile=/c/w.jsa.tmp",
                "-XX:+UseSerialGC", "-cp", "a.jar"), jdk17);
        assertTrue(ClassDataArchive.dumpCommand(JAVA, 25, list, out, "a.jar").contains("-XX:+AOTClassLinking"));
    }

    @Test
    void anArchiveIsUsedOnlyWhenItIsTheSizeItWasMade(@TempDir Path dir) throws IOException {
        Path jar = Files.write(dir.resolve("a.jar"), new byte[]{1});
        Path store = dir.resolve("archives");
        ClassDataArchive archive = ClassDataArchive.of(JAVA, store, List.of(jar.toString()));
        assertNotNull(archive);
        assertNull(archive.usable(), "no directory yet");
        Files.createDirectories(store);
        Path whole = Files.write(archive.file(5), new byte[5]);
        assertEquals(whole, archive.usable());
        ClassDataArchive.Plan plan = archive.plan();
        assertEquals(List.of("-XX:SharedArchiveFile=" + whole, "-Xlog:cds=off"), plan.flags());
        assertNull(plan.classList());

        Files.move(whole, archive.file(6)); // cut short: 5 bytes where the name says 6
        assertNull(archive.usable());
    }

    @Test
    void aRebuiltJarOrAnotherJdkNamesAnotherArchive(@TempDir Path dir) throws IOException {
        Path jar = Files.write(dir.resolve("a.jar"), new byte[]{1});
        ClassDataArchive before = ClassDataArchive.of(JAVA, dir, List.of(jar.toString()));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 2000));
        ClassDataArchive rebuilt = ClassDataArchive.of(JAVA, dir, List.of(jar.toString()));
        ClassDataArchive otherJdk = ClassDataArchive.of("/opt/other/bin/java", dir, List.of(jar.toString()));
        assertNotEquals(before.file(1), rebuilt.file(1));
        assertNotEquals(rebuilt.file(1), otherJdk.file(1));
        Files.write(before.file(3), new byte[3]);
        assertNull(rebuilt.usable(), "the archive of the jar as it was is stale");
    }

    @Test
    void withNoArchiveOneWorkerAtATimeWritesAClassListForOne(@TempDir Path dir) throws IOException {
        Path jar = Files.write(dir.resolve("a.jar"), new byte[]{1});
        Path store = dir.resolve("cache").resolve("archives");
        ClassDataArchive archive = ClassDataArchive.of(JAVA, store, List.of(jar.toString()));
        ClassDataArchive.Plan first = archive.plan();
        assertNotNull(first.classList());
        assertEquals(List.of("-XX:DumpLoadedClassList=" + first.classList()), first.flags());
        assertEquals(store, first.classList().getParent());
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        assertEquals(ClassDataArchive.Plan.NONE, ClassDataArchive.of(JAVA, store, List.of(jar.toString())).plan(),
                "a second launcher of this JVM waits for the first's archive");

        archive.started(first, null); // that worker did not start: the next may write the list
        ClassDataArchive.Plan again = archive.plan();
        assertEquals(first.classList(), again.classList());
        archive.started(again, null);

        Files.write(store.resolve(first.classList().getFileName().toString().replaceFirst("\\..*", ".failed")), new byte[0]);
        assertEquals(ClassDataArchive.Plan.NONE, archive.plan(), "an archive that could not be made is not tried again");
    }
}
