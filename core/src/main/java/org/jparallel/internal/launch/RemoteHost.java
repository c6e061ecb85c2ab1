package org.jparallel.internal.launch;

import org.jparallel.api.InvalidHostException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Workers on another host, started through ssh.
 *
 * @param destination the host as ssh takes it: a name from the user's ssh config, a host name, an address (an
 *                    IPv6 one bare, as ssh wants it: {@code fe80::1%eth0}), each optionally after {@code user@}
 * @param workers     how many workers run there; {@link #PROCESSORS} for one per processor it has (see
 *                    {@link SshOptions#withProcessorCounts})
 */
public record RemoteHost(String destination, int workers) {

    /** As many workers as the host has processors, once asked. */
    public static final int PROCESSORS = 0;

    /**
     * What a host name or ssh alias may hold: letters, digits and {@code . _ -} (and {@code %}, {@code *}-free:
     * no pattern, which ssh config allows only in Host lines), not starting with {@code -} (ssh would take an
     * option).
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]*");
    /** An IPv6 literal's characters, then an optional zone (an interface name or number). */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");
    /** A user name as ssh passes it on: anything but blanks and {@code @}, not starting with {@code -}. */
    private static final Pattern USER = Pattern.compile("[^\\s@-][^\\s@]*");

    /**
     * A host of {@code workers} workers; {@code destination} as {@link #destination()} says, an IPv6 address
     * bare or in brackets (which are dropped).
     *
     * @throws InvalidHostException if {@code destination} is no host, or {@code workers} is negative
     */
    public RemoteHost {
        if (destination == null) {
            throw new InvalidHostException("null", "no host");
        }
        destination = destination(destination.strip(), destination);
        if (workers < 0) {
            throw new InvalidHostException(destination, "a host needs at least one worker, not " + workers);
        }
    }

    /**
     * One entry of {@code --hosts}: {@code HOST} or {@code HOST:N}, HOST optionally after {@code USER@}, an IPv6
     * address in brackets ({@code [::1]:2}: bare, its colons would be ambiguous with {@code :N}).
     *
     * @throws InvalidHostException naming the entry and what is wrong
     */
    public static RemoteHost parse(String entry) {
        String text = entry.strip();
        int bracket = text.lastIndexOf(']');
        int colon = text.lastIndexOf(':');
        String host = text;
        int workers = PROCESSORS;
        if (colon > bracket && (bracket >= 0 || text.indexOf(':') == colon)) {
            host = text.substring(0, colon);
            String count = text.substring(colon + 1);
            try {
                workers = Integer.parseInt(count);
            } catch (NumberFormatException e) {
                workers = -1;
            }
            if (workers < 1) {
                throw new InvalidHostException(entry, "the number of workers after ':' must be a whole number of"
                        + " at least 1, not '" + count + "'");
            }
        } else if (bracket < 0 && colon >= 0 && text.indexOf('[') < 0) {
            int at = text.lastIndexOf('@');
            String bracketed = text.substring(0, at + 1) + "[" + text.substring(at + 1) + "]";
            throw new InvalidHostException(entry, "an IPv6 address goes in brackets, the number of workers after"
                    + " them: " + bracketed + " or " + bracketed + ":N");
        }
        return new RemoteHost(destination(host, entry), workers);
    }

    /** The user's part and the host's of {@code text}, checked, the host unbracketed: ssh's destination. */
    private static String destination(String text, String entry) {
        int at = text.lastIndexOf('@');
        String user = at < 0 ? null : text.substring(0, at);
        String host = text.substring(at + 1);
        if (user != null && !USER.matcher(user).matches()) {
            throw new InvalidHostException(entry, user.isEmpty() ? "nothing before '@'"
                    : "the user name '" + user + "' has a blank or starts with '-'");
        }
        if (host.startsWith("[") != host.endsWith("]") || host.startsWith("[") && host.length() < 3) {
            throw new InvalidHostException(entry, "brackets go around a whole IPv6 address: [fe80::1]");
        }
        boolean bracketed = host.startsWith("[");
        String bare = bracketed ? host.substring(1, host.length() - 1) : host;
        if (bracketed || bare.contains(":")) {
            checkIpv6(bare, entry);
        } else if (bare.isEmpty()) {
            throw new InvalidHostException(entry, at < 0 ? "no host" : "nothing after '@'");
        } else if (!NAME.matcher(bare).matches()) {
            throw new InvalidHostException(entry, "a host name holds letters, digits, '.', '_' and '-' and does"
                    + " not start with '-'");
        }
        return user == null ? bare : user + "@" + bare;
    }

    /** Checks an IPv6 literal, zone aside, with the JDK's own parser (a literal in brackets: never a lookup). */
    private static void checkIpv6(String literal, String entry) {
        int zone = literal.indexOf('%');
        if (IPV6.matcher(literal).matches()) {
            try {
                InetAddress.getByName("[" + (zone < 0 ? literal : literal.substring(0, zone)) + "]");
                return;
            } catch (UnknownHostException e) {
                // reported below
            }
        }
        throw new InvalidHostException(entry, "'" + literal + "' is no IPv6 address");
    }
}
