package org.jparallel.internal.code;

import java.util.Objects;

/**
 * A notebook variable: a public static field of a JShell wrapper class.
 *
 * @param className the wrapper's binary name, such as {@code REPL.$JShell$12}
 * @param fieldName the field, which is the variable's name (or {@code $3} for a result JShell kept)
 */
public record VariableRef(String className, String fieldName) {

    public VariableRef {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(fieldName, "fieldName");
    }

    @Override
    public String toString() {
        return className + "." + fieldName;
    }
}
