package org.jparallel.internal.codec;

/**
 * Why a value cannot be sent and what to do instead; becomes a
 * {@link org.jparallel.api.NotSendableException} once the writer knows where the value is.
 *
 * @param reason why, as a clause without a final period
 * @param advice what to do instead, as full sentences
 */
record Refusal(String reason, String advice) {

    static Refusal nonSerializableLambda() {
        return new Refusal("its functional interface is not Serializable, so its code cannot be named in another JVM",
                "Declare the variable with a Serializable functional type (e.g. SerialFunction), or cast the lambda:"
                        + " (Function<A, B> & Serializable) x -> ...");
    }

    static Refusal hiddenClass() {
        return new Refusal("a hidden class has no name another JVM could load",
                "Send the data it holds in a record or plain class instead.");
    }

    static Refusal notSerializablePlatformClass() {
        return new Refusal("this class belongs to the JDK or to a named module and is not Serializable, so it has no portable form",
                "Convert it to a plain value (a String, number, record or collection) before sending.");
    }

    static Refusal platformSuperclass(Class<?> superclass) {
        return new Refusal("it extends " + superclass.getName() + ", whose fields only the JDK can read, and it is not Serializable",
                "Keep the data in a record or a plain class that does not extend a JDK class.");
    }

    static Refusal notSerializableInside(String className) {
        return new Refusal("it is sent with Java serialization, and it holds a " + className + ", which is not Serializable",
                "Convert it to a plain value (a String, number, record or collection) before sending.");
    }

    static Refusal unreadable(Throwable failure) {
        return new Refusal("reading it failed with " + failure,
                "Send a plain copy of the data (a record, collection or plain class) instead.");
    }

    static Refusal tooDeepForJavaSerialization() {
        return new Refusal("it is sent with Java serialization, which recurses once per level of nesting, and it is"
                        + " too deeply nested for this thread's stack",
                "Send its data as records, collections or plain classes, which the codec walks without recursion.");
    }

    static Refusal outOfMemory(OutOfMemoryError error) {
        return new Refusal("encoding it ran out of memory (" + error.getMessage() + ")",
                "Send less at a time (smaller elements or results), or share large arrays through Shared.");
    }

    static Refusal unpairedSurrogate(String text, int index) {
        return new Refusal(String.format("it holds an unpaired surrogate (\\u%04X at index %d), which UTF-8 cannot carry",
                (int) text.charAt(index), index),
                "Pair or remove it (a string cut inside a surrogate pair has one), or send the text as a char[].");
    }

    static Refusal cycle(String ancestorPath, String kind) {
        return new Refusal("it leads back to " + ancestorPath + ", which contains it, and " + kind
                        + " can only be built after its contents, so this reference cycle cannot be rebuilt",
                "Break the cycle (e.g. make the back link transient), or hold the links in fields of a plain class,"
                        + " which can be filled after it is created.");
    }
}
