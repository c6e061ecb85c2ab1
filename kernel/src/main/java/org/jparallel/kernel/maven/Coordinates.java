package org.jparallel.kernel.maven;

import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;

import java.util.regex.Pattern;

/**
 * Maven coordinates as {@code mvn dependency:get -Dartifact=...} takes them:
 * {@code groupId:artifactId:version}, {@code groupId:artifactId:extension:version} or
 * {@code groupId:artifactId:extension:classifier:version}.
 */
public final class Coordinates {

    /** What a part may hold: Maven's id characters, plus what version ranges and properties use. */
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_.\\-+\\[\\](),]+");
    private static final String FORMS = "groupId:artifactId:version (or groupId:artifactId:extension[:classifier]:version)";

    private Coordinates() {
    }

    /**
     * The artifact that {@code text} names.
     *
     * @throws BadCoordinateException naming the coordinate and the part that is wrong
     */
    public static Artifact parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length < 3 || parts.length > 5) {
            throw new BadCoordinateException("malformed coordinate '" + text + "': expected " + FORMS);
        }
        String[] names = parts.length == 3 ? new String[] {"groupId", "artifactId", "version"}
                : parts.length == 4 ? new String[] {"groupId", "artifactId", "extension", "version"}
                : new String[] {"groupId", "artifactId", "extension", "classifier", "version"};
        for (int i = 0; i < parts.length; i++) {
            boolean version = i == parts.length - 1;
            if (parts[i].isEmpty() || !(version ? VERSION : PART).matcher(parts[i]).matches()) {
                throw new BadCoordinateException("malformed coordinate '" + text + "': "
                        + (parts[i].isEmpty() ? "empty " + names[i] : names[i] + " '" + parts[i] + "' has characters Maven does not allow")
                        + "; expected " + FORMS);
            }
        }
        String extension = parts.length >= 4 ? parts[2] : "jar";
        String classifier = parts.length == 5 ? parts[3] : "";
        return new DefaultArtifact(parts[0], parts[1], classifier, extension, parts[parts.length - 1]);
    }

    /** {@code groupId:artifactId[:classifier]}: what two versions of one library share. */
    public static String key(Artifact a) {
        return a.getGroupId() + ":" + a.getArtifactId() + (a.getClassifier().isEmpty() ? "" : ":" + a.getClassifier());
    }
}
