package org.jparallel.internal.codec;

import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@link ReferenceType}s a codec decodes, by tag. Immutable; a codec gets its set when it is built.
 */
public final class ReferenceTypes {

    /** The lowest tag of a reference type; the tags below are the codec's own ({@code Tag}). */
    public static final int FIRST_TAG = 23;
    /** The highest tag of a reference type: tags from 32 up stay free for the codec's own. */
    public static final int LAST_TAG = 31;

    private final ReferenceType[] byTag = new ReferenceType[LAST_TAG - FIRST_TAG + 1];

    private ReferenceTypes(List<ReferenceType> types) {
        for (ReferenceType type : types) {
            int tag = type.tag();
            if (tag < FIRST_TAG || tag > LAST_TAG) {
                throw new IllegalArgumentException("the reference type " + type.getClass().getName() + " has tag " + tag
                        + ", outside the tags " + FIRST_TAG + "-" + LAST_TAG + " of reference types");
            }
            ReferenceType other = byTag[tag - FIRST_TAG];
            if (other != null) {
                throw new IllegalArgumentException("the reference types " + other.getClass().getName() + " and "
                        + type.getClass().getName() + " both have tag " + tag);
            }
            byTag[tag - FIRST_TAG] = type;
        }
    }

    /**
     * The given types.
     *
     * @throws IllegalArgumentException if a tag is out of range or two types have the same one
     */
    public static ReferenceTypes of(ReferenceType... types) {
        return new ReferenceTypes(List.of(types));
    }

    /**
     * The types installed with the codec as services (in jparallel-core: shared memory's and managers'),
     * loaded once per JVM by the loader of the codec itself, whatever the codec's own class loader.
     */
    public static ReferenceTypes installed() {
        return Installed.TYPES;
    }

    /** Whether {@code tag} is a reference's. */
    static boolean isReference(int tag) {
        return tag >= FIRST_TAG && tag <= LAST_TAG;
    }

    /**
     * The type with this reference tag.
     *
     * @throws CodecException if none has it here
     */
    ReferenceType forTag(int tag) {
        ReferenceType type = byTag[tag - FIRST_TAG];
        if (type == null) {
            throw new CodecException("cannot decode: the value holds a reference of tag " + tag
                    + ", and no reference type with that tag is installed in this JVM");
        }
        return type;
    }

    /** Loaded when the first codec that uses them is built (class initialization: once, thread-safe). */
    private static final class Installed {
        static final ReferenceTypes TYPES = new ReferenceTypes(
                ServiceLoader.load(ReferenceType.class, ReferenceType.class.getClassLoader()).stream()
                        .map(ServiceLoader.Provider::get)
                        .toList());
    }
}
