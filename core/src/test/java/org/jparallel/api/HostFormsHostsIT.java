package org.jparallel.api;

import org.jparallel.testing.TestHosts;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A host given as {@code user@address} rather than an ssh config's alias reaches its host: here alpha's own
 * address, with the test hosts' key and known-hosts file as ssh options ({@link TestHosts}).
 */
class HostFormsHostsIT {

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
