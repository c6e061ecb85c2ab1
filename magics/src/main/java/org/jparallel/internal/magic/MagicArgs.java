package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.jparallel.kernel.magic.MagicException;

import javax.lang.model.SourceVersion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a magic's arguments: {@code --name value}, {@code -n value}, {@code --flag}, and positional
 * words. Anything not declared, and an option given twice that is not declared repeatable, is a usage
 * error naming the magic's usage line. {@code --help} or {@code -h} asks for the usage line alone: what
 * follows it is not read, and the magic runs nothing.
 */
final class MagicArgs {

    private static final Set<String> HELP = Set.of("--help", "-h");

    private final Map<String, String> values = new HashMap<>();
    private final Map<String, List<String>> repeated = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<String> positional = new ArrayList<>();
    private final String usage;
    private boolean helpAsked;

    private MagicArgs(String usage) {
        this.usage = usage;
    }

    /**
     * Parses {@code args}.
     *
     * @param withValue  options that take a value, once
     * @param repeatable options that take a value and may be given again, each value collected
     * @param flagNames  options without a value
     */
    static MagicArgs parse(List<String> args, Set<String> withValue, Set<String> repeatable, Set<String> flagNames,
                           String usage) {
        MagicArgs parsed = new MagicArgs(usage);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (withValue.contains(arg) || repeatable.contains(arg)) {
                if (i + 1 >= args.size()) {
                    throw parsed.error(arg + " needs a value");
                }
                String value = args.get(++i);
                String earlier = parsed.values.put(arg, value);
                if (earlier != null && !repeatable.contains(arg)) {
                    throw parsed.error(arg + " is given twice (" + earlier + " and " + value + "): give it once");
                }
                parsed.repeated.computeIfAbsent(arg, k -> new ArrayList<>()).add(value);
            } else if (HELP.contains(arg)) {
                parsed.helpAsked = true;
                return parsed;
            } else if (flagNames.contains(arg)) {
                parsed.flags.add(arg);
            } else if (arg.startsWith("-") && !arg.matches("-\\d+")) {
                throw parsed.error("unknown option " + arg);
            } else {
                parsed.positional.add(arg);
            }
        }
        return parsed;
    }

    /** Whether {@code --help} or {@code -h} was given: the magic shows {@link #usage()} and does nothing else. */
    boolean helpAsked() {
        return helpAsked;
    }

    /** The magic's usage line, shown as the cell's result. */
    DisplayData usage() {
        return new DisplayData("usage: " + usage);
    }

    MagicException error(String problem) {
        return new MagicException(problem + "\nusage: " + usage);
    }

    String value(String name) {
        return values.get(name);
    }

    List<String> all(String name) {
        return repeated.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    List<String> positional() {
        return positional;
    }

    /**
     * The option's value as a name a notebook variable can have (any Java identifier, Unicode letters
     * included, that is not a keyword), or null when absent.
     */
    String variableName(String name) {
        String v = values.get(name);
        if (v != null) {
            checkVariableName(name, v);
        }
        return v;
    }

    /** Fails unless {@code word} is a Java identifier that is not a keyword; {@code what} names it in the error. */
    void checkVariableName(String what, String word) {
        if (!SourceVersion.isIdentifier(word)) {
            throw error(what + " needs a Java variable name, not " + (word.isEmpty() ? "nothing" : word));
        }
        if (!SourceVersion.isName(word, SourceVersion.latest())) {
            throw error(what + " needs a Java variable name, not " + word + ", which is a Java keyword");
        }
    }

    /** A positive whole number option, or {@code fallback} when absent. */
    int positiveInt(String name, int fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(name + " must be a whole number of at least 1, not " + v);
    }

    /** A positive number of seconds, as milliseconds, or 0 when absent. */
    long seconds(String name) {
        String v = values.get(name);
        if (v == null) {
            return 0;
        }
        try {
            double s = Double.parseDouble(v);
            if (s > 0) {
                return Math.max(1, Math.round(s * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(name + " must be a positive number of seconds, not " + v);
    }
}
