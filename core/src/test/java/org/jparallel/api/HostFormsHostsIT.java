package org.jparallel.api;

import org.jparallel.testing.TestHosts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hosts and listening addresses given in other forms: a host as {@code user@address} rather than an ssh config's
 * alias (alpha's own address, with the test hosts' key and known-hosts file as ssh options, {@link TestHosts}),
 * and {@code listen("0.0.0.0")}.
 */
class HostFormsHostsIT {

    /**
     * {@code listen("0.0.0.0")}: this machine listens on every interface, and each host dials the address this
     * machine reaches it from, not the wildcard (which on the host would be the host itself).
     */
    @Test
    void listeningOnTheWildcardStillGivesEachHostAnAddressItCanDial() throws Exception {
        TestHosts hosts = TestHosts.require();
        try (WorkerPool pool = WorkerPool.builder().sshOption("-F", hosts.sshConfig().toString()).listen("0.0.0.0")
                .host("alpha", 1).host("beta", 1).start().awaitReady()) {
            assertEquals(List.of("alpha", "beta"), pool.status().stream().map(WorkerStatus::host).toList());
            ManagedList<Long> pids = pool.manager().list();
            pool.submitOnWorkers(() -> pids.add(ProcessHandle.current().pid()), List.of(), RunOptions.defaults()).get();
            assertEquals(pool.status().stream().map(WorkerStatus::pid).sorted().toList(),
                    new java.util.ArrayList<>(pids).stream().sorted().toList(), "the manager too, from both hosts");
        }
    }

    @Test
    void aUserAtAddressHostRunsItsWorkerThere() throws Exception {
        TestHosts hosts = TestHosts.require();
        String run = hosts.sshConfig().getParent().toString();
        String destination = "root@" + hosts.address("alpha").getHostAddress();
        try (WorkerPool pool = WorkerPool.builder()
                .sshOption("-i", run + "/client_key", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                        "-o", "UserKnownHostsFile=" + run + "/known_hosts", "-o", "HostKeyAlias=alpha",
                        "-o", "StrictHostKeyChecking=yes")
                .host(destination, 1).start().awaitReady()) {
            WorkerStatus worker = pool.status().get(0);
            assertEquals(destination, worker.host());
            assertEquals(hosts.netns("alpha"),
                    TestHosts.run("ip", "netns", "identify", Long.toString(worker.pid())).strip());
            assertEquals(List.of(worker.pid()), pool.submitOnWorkers(() -> ProcessHandle.current().pid(), List.of(),
                    RunOptions.defaults()).get());
        }
    }
}
