package org.jparallel.internal.launch;

import org.jparallel.api.InvalidHostException;
import org.jparallel.api.WorkerPool;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hosts of {@code --hosts} ({@link RemoteHost#parse}) and {@code Builder.host} (the constructor): names,
 * {@code user@} forms and IPv6 literals become ssh destinations (IPv6 bare, as ssh takes it); a malformed entry
 * is an {@link InvalidHostException} quoting it and saying what is wrong.
 */
class RemoteHostTest {

    @Test
    void entriesBecomeSshDestinationsAndCounts() {
        Map<String, RemoteHost> expected = Map.ofEntries(
                Map.entry("alpha", new RemoteHost("alpha", RemoteHost.PROCESSORS)),
                Map.entry(" alpha:4 ", new RemoteHost("alpha", 4)),
                Map.entry("alice@alpha:2", new RemoteHost("alice@alpha", 2)),
                Map.entry("node-7.cluster.example", new RemoteHost("node-7.cluster.example", RemoteHost.PROCESSORS)),
                Map.entry("10.213.1.2:3", new RemoteHost("10.213.1.2", 3)),
                Map.entry("[::1]:2", new RemoteHost("::1", 2)),
                Map.entry("[::1]", new RemoteHost("::1", RemoteHost.PROCESSORS)),
                Map.entry("[fe80::1%eth0]", new RemoteHost("fe80::1%eth0", RemoteHost.PROCESSORS)),
                Map.entry("bob@[fd00::5]:8", new RemoteHost("bob@fd00::5", 8)),
                Map.entry("[::ffff:10.0.0.1]:1", new RemoteHost("::ffff:10.0.0.1", 1)));
        expected.forEach((entry, host) -> assertEquals(host, RemoteHost.parse(entry), entry));
        assertEquals("fe80::1%eth0", RemoteHost.parse("[fe80::1%eth0]:2").destination(), "ssh takes it bare");
    }

    @Test
    void aBuildersDestinationMayBeABareOrBracketedIpv6Address() {
        assertEquals("::1", new RemoteHost("[::1]", 2).destination());
        assertEquals("fe80::1%eth0", new RemoteHost("fe80::1%eth0", 2).destination());
        assertEquals("bob@::1", new RemoteHost("bob@[::1]", 1).destination());
    }

    @Test
    void aMalformedEntrySaysWhatIsWrongAndTheFormsThatWork() {
        Map<String, String> problems = Map.ofEntries(
                Map.entry("fe80::1:2", "an IPv6 address goes in brackets, the number of workers after them:"
                        + " [fe80::1:2] or [fe80::1:2]:N"),
                Map.entry("bob@::1", "an IPv6 address goes in brackets, the number of workers after them: bob@[::1]"),
                Map.entry("alpha:0", "the number of workers after ':' must be a whole number of at least 1, not '0'"),
                Map.entry("alpha:x", "the number of workers after ':' must be a whole number of at least 1, not 'x'"),
                Map.entry("[::1]:", "the number of workers after ':' must be a whole number of at least 1, not ''"),
                Map.entry(":2", "no host"),
                Map.entry("", "no host"),
                Map.entry("@alpha", "nothing before '@'"),
                Map.entry("alice@", "nothing after '@'"),
                Map.entry("[::1", "brackets go around a whole IPv6 address"),
                Map.entry("[]:2", "brackets go around a whole IPv6 address"),
                Map.entry("[alpha]", "'alpha' is no IPv6 address"),
                Map.entry("[1:2:3:4:5:6:7:8:9]", "'1:2:3:4:5:6:7:8:9' is no IPv6 address"),
                Map.entry("-oProxyCommand=x", "a host name holds letters, digits, '.', '_' and '-' and does not start"
                        + " with '-'"),
                Map.entry("al pha", "a host name holds letters"),
                Map.entry("-u@alpha", "the user name '-u' has a blank or starts with '-'"));
        problems.forEach((entry, problem) -> {
            InvalidHostException e = assertThrows(InvalidHostException.class, () -> RemoteHost.parse(entry), entry);
            assertEquals(entry, e.entry());
            assertTrue(e.getMessage().startsWith("not a host: '" + entry + "': " + problem), e.getMessage());
            assertTrue(e.getMessage().contains("e.g. alpha:4, alice@10.0.0.5, [fd00::5]:2"), e.getMessage());
        });
        for (String destination : List.of("alpha:2", "", "-F")) {
            assertThrows(InvalidHostException.class, () -> new RemoteHost(destination, 1), destination);
        }
        // the public builder refuses the same, before anything starts
        assertThrows(InvalidHostException.class, () -> WorkerPool.builder().host("fe80::1%eth0]", 2));
        InvalidHostException none = assertThrows(InvalidHostException.class, () -> WorkerPool.builder().host("alpha", 0));
        assertTrue(none.getMessage().startsWith("not a host: 'alpha': a host needs at least one worker, not 0"),
                none.getMessage());
    }
}
