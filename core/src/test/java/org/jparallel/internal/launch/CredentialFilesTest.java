package org.jparallel.internal.launch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The credentials files of a Slurm pool's workers, in a home directory of the test's own. */
class CredentialFilesTest {

    @TempDir
    Path home;
    private String realHome;

    @BeforeEach
    void useTheTestsHome() {
        realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
    }

    @AfterEach
    void restoreHome() {
        System.setProperty("user.home", realHome);
    }

    private Path base() {
        return home.resolve(".jparallel/credentials");
    }

    private List<Path> directories() throws Exception {
        try (Stream<Path> dirs = Files.list(base())) {
            return dirs.toList();
        }
    }

    @Test
    void aPoolsFilesAre0600InADirectoryOfItsOwn0700NamedForTheNodesShellAndGoneWhenClosed() throws Exception {
        CredentialFiles files = CredentialFiles.create();
        Path dir = directories().get(0);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertTrue(dir.getFileName().toString().matches(".+-" + ProcessHandle.current().pid() + "-[0-9a-f]{16}"), dir.toString());
        files.write("worker-7", "secret".getBytes(StandardCharsets.US_ASCII));
        Path file = dir.resolve("worker-7");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("secret", Files.readString(file));
        assertEquals("\"$HOME/.jparallel/credentials/" + dir.getFileName() + "/worker-7\"", files.shellWord("worker-7"));
        files.delete("worker-7");
        assertFalse(Files.exists(file));
        files.write("worker-8", new byte[1]);
        files.close();
        assertFalse(Files.exists(dir), "the directory and what its workers did not read are gone");
    }

    @Test
    void aPoolsStartDeletesTheDirectoriesOfGoneJvmsOfThisHostOnly() throws Exception {
        String host = InetAddress.getLocalHost().getHostName().replace('-', '_');
        long gone = ProcessHandle.current().pid() + 1_000_000; // a PID no process has (checked)
        while (ProcessHandle.of(gone).isPresent()) {
            gone++;
        }
        Path orphan = Files.createDirectories(base().resolve(host + "-" + gone + "-0123456789abcdef"));
        Files.writeString(orphan.resolve("worker-1"), "left by a killed kernel");
        Path live = Files.createDirectories(base().resolve(host + "-" + ProcessHandle.current().pid() + "-fedcba9876543210"));
        Path otherHost = Files.createDirectories(base().resolve("elsewhere-" + gone + "-0123456789abcdef"));
        try (CredentialFiles files = CredentialFiles.create()) {
            assertFalse(Files.exists(orphan), "a gone JVM's directory is deleted");
            assertTrue(Files.exists(live), "a live JVM's directory stays");
            assertTrue(Files.exists(otherHost), "another host's JVM's directory stays: its PID means nothing here");
        }
    }
}
