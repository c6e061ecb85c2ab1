package org.jparallel.api;

/**
 * A value cannot be sent to a worker JVM. Thrown before anything is sent.
 *
 * <p>The exception names the value that was to be sent ({@link #name()}), the place inside it
 * that cannot be sent ({@link #path()}), what that place holds ({@link #offendingClass()}),
 * why it cannot be sent ({@link #reason()}) and what to do instead ({@link #advice()}).
 *
 * <p>A path starts with the name and adds one step per hop:
 * {@code .field} (a field or record component), {@code [3]} (element 3 of an array, list, set
 * or other collection, counting from 0 in iteration order), {@code [key]} (the value stored
 * under a map key whose text is short and simple: a string, number, character, boolean or enum
 * constant), {@code .<value 3>} and {@code .<key 3>} (the value and the key of a map's entry 3
 * when the key has no simple text), {@code .<value>} (the content of an {@code Optional}),
 * {@code .<key>}/{@code .<value>} of a {@code Map.Entry}, {@code .<comparator>} (of a sorted
 * collection) and {@code .<captured 1>} (a lambda's first captured value).
 */
public class NotSendableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final String path;
    private final String offendingClass;
    private final String reason;
    private final String advice;

    /**
     * A value that cannot be sent.
     *
     * @param name            what the value is called, e.g. {@code cfg}
     * @param rootType        a short name of the value's type, e.g. {@code Config}
     * @param path            where the unsendable part is, e.g. {@code cfg.log}
     * @param offendingClass  the class name of the unsendable part
     * @param offendingNoun   how the message names that part, e.g. {@code java.io.PrintStream}
     *                        or {@code lambda implementing java.util.function.Function}
     * @param reason          why it cannot be sent, without a final period
     * @param advice          what to do instead, as one or more sentences
     */
    public NotSendableException(String name, String rootType, String path, String offendingClass,
                                String offendingNoun, String reason, String advice) {
        super("cannot send " + name + " (" + rootType + "): " + path + " is " + article(offendingNoun)
                + " " + offendingNoun + " — " + reason + ". " + advice);
        this.name = name;
        this.path = path;
        this.offendingClass = offendingClass;
        this.reason = reason;
        this.advice = advice;
    }

    private static String article(String noun) {
        return !noun.isEmpty() && "aeiouAEIOU".indexOf(noun.charAt(0)) >= 0 ? "an" : "a";
    }

    /** What the value to send is called, e.g. {@code cfg}, {@code result} or {@code element 17}. */
    public String name() {
        return name;
    }

    /** Where the unsendable part is, from the name down, e.g. {@code cfg.log} or {@code jobs[3].lock}. */
    public String path() {
        return path;
    }

    /** The class name of the unsendable part, e.g. {@code java.io.PrintStream}. */
    public String offendingClass() {
        return offendingClass;
    }

    /** Why that part cannot be sent, e.g. "an output stream belongs to this JVM". */
    public String reason() {
        return reason;
    }

    /** What to do instead, e.g. "Send the data instead, or create the stream on the worker." */
    public String advice() {
        return advice;
    }
}
