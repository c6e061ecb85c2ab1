package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.jparallel.api.WorkerStatus;
import org.jparallel.testing.TestHosts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code %pool start --hosts alpha:2,beta:1} on the test hosts ({@code .ci/hosts.sh up}, {@link TestHosts}):
 * the notebook's pool has its workers there, and {@code %pool} shows each one's host beside its PID.
 */
class PoolMagicHostsIT {

    @AfterEach
    void stop() {
        NotebookPool.stop();
    }

    @Test
    void startWithHostsPutsTheWorkersThereAndThePoolShowsTheirHosts() throws Exception {
        TestHosts hosts = TestHosts.require();
        DisplayData shown = assertInstanceOf(DisplayData.class, PoolMagic.line().eval(null, List.of("start", "--hosts",
                "alpha:2,beta", "--ssh-opt", "-F " + hosts.sshConfig())));
        List<WorkerStatus> rows = NotebookPool.current().status();
        assertEquals(List.of("alpha", "alpha", "beta"), rows.stream().map(WorkerStatus::host).toList());
        String text = (String) shown.getData(MIMEType.TEXT_PLAIN);
        for (WorkerStatus row : rows) {
            assertTrue(text.lines().anyMatch(l -> l.matches("\\s*" + row.index() + "\\s+" + row.pid() + "\\s+" + row.host() + "\\s.*")),
                    "the status shows worker " + row.index() + "'s PID and host:\n" + text);
        }
    }
}
