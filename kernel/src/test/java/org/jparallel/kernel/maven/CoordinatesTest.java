package org.jparallel.kernel.maven;

import org.eclipse.aether.artifact.Artifact;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoordinatesTest {

    @Test
    void threeFourAndFivePartsAreMavensForms() {
        Artifact a = Coordinates.parse("org.apache.commons:commons-math3:3.6.1");
        assertEquals("org.apache.commons:commons-math3:jar:3.6.1", a.toString());
        assertEquals("org.apache.commons:commons-math3", Coordinates.key(a));
        assertEquals("g:a:pom:1", Coordinates.parse("g:a:pom:1").toString());
        Artifact classified = Coordinates.parse("org.lwjgl:lwjgl:jar:natives-linux:3.3.4");
        assertEquals("natives-linux", classified.getClassifier());
        assertEquals("org.lwjgl:lwjgl:natives-linux", Coordinates.key(classified));
        assertEquals("[1.0,2.0)", Coordinates.parse("g:a:[1.0,2.0)").getVersion());
    }

    @Test
    void aMalformedCoordinateSaysWhatIsWrongAndTheFormsThereAre() {
        assertMessage("org.apache.commons:commons-math3", "malformed coordinate 'org.apache.commons:commons-math3': expected groupId:artifactId:version");
        assertMessage("g::1", "empty artifactId");
        assertMessage("g:a:", "empty version");
        assertMessage("g:a b:1", "artifactId 'a b' has characters Maven does not allow");
        assertMessage("a:b:c:d:e:f", "expected groupId:artifactId:version");
    }

    private static void assertMessage(String coordinate, String part) {
        BadCoordinateException e = assertThrows(BadCoordinateException.class, () -> Coordinates.parse(coordinate));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
