package org.jparallel.internal.launch;

import org.jparallel.api.SlurmJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link SlurmAllocation} asks salloc for and how it reads what salloc and Slurm say, and the srun step of
 * each worker ({@link SlurmLauncher}); no Slurm here.
 */
class SlurmAllocationTest {

    @Test
    void sallocGetsTheJobsOptionsThenTheCommandThatHoldsIt() {
        List<String> command = SlurmAllocation.sallocCommand(SlurmJob.of(4).partition("short").time("1:00:00")
                .account("lab").option("--begin=now+1hour", "--mem-per-cpu=2G"));
        assertEquals(List.of("salloc", "--job-name=jparallel", "--ntasks=4", "--partition=short", "--time=1:00:00",
                "--account=lab", "--begin=now+1hour", "--mem-per-cpu=2G", "/bin/sh", "-c"), command.subList(0, 10));
        assertEquals(11, command.size());
        // the command prints the nodes, then the job and its tasks per node, then holds the job while its input is open
        assertTrue(command.get(10).startsWith("scontrol show hostnames \"$SLURM_JOB_NODELIST\""), command.get(10));
        assertTrue(command.get(10).endsWith("exec cat >/dev/null"), command.get(10));
        assertEquals(List.of("salloc", "--job-name=jparallel", "--ntasks=1", "/bin/sh", "-c"),
                SlurmAllocation.sallocCommand(SlurmJob.of(1)).subList(0, 5));
    }

    @Test
    void eachWorkerIsAStepOfOneTaskOnItsNodeThatMayOverlapTheOthers() {
        assertEquals(List.of("srun", "--jobid=12", "--nodelist=node-3", "--nodes=1", "--ntasks=1", "--overlap", "--quiet",
                "/bin/sh", "-c", "exec java -version"), SlurmLauncher.srun(12, "node-3", "exec java -version"));
    }

    @Test
    void sallocAndSrunRunWithoutTheSlurmVariablesOfAJobTheKernelRunsInButSlurmConf() {
        List<String> srun = List.of("srun", "--jobid=7", "hostname");
        assertEquals(srun, SlurmAllocation.outsideAnyJob(srun, Map.of("HOME", "/root", "SLURM_CONF", "/etc/slurm.conf")));
        assertEquals(List.of("env", "-u", "SLURM_CPUS_PER_TASK", "-u", "SLURM_JOB_ID", "srun", "--jobid=7", "hostname"),
                SlurmAllocation.outsideAnyJob(srun, Map.of("SLURM_JOB_ID", "3", "SLURM_CPUS_PER_TASK", "64",
                        "SLURM_CONF", "/etc/slurm.conf", "SALLOC_PARTITION", "short")));
    }

    @Test
    void tasksPerNodeAreExpandedOverTheNodes() {
        assertEquals(List.of(new RemoteHost("n1", 2), new RemoteHost("n2", 2), new RemoteHost("n3", 2), new RemoteHost("n4", 1)),
                SlurmAllocation.nodes(List.of("n1", "n2", "n3", "n4"), "2(x3),1"));
        assertEquals(List.of(new RemoteHost("vm", 2)), SlurmAllocation.nodes(List.of("vm"), "2"));
        assertThrows(IllegalArgumentException.class, () -> SlurmAllocation.nodes(List.of("n1"), "2(x2)"));
        assertThrows(IllegalArgumentException.class, () -> SlurmAllocation.nodes(List.of("n1"), "two"));
    }

    @Test
    void theJobsIdIsReadFromSallocsPendingOrGrantedLine() {
        assertEquals(12, SlurmAllocation.jobIdIn("salloc: Pending job allocation 12"));
        assertEquals(3, SlurmAllocation.jobIdIn("salloc: Granted job allocation 3"));
        assertEquals(-1, SlurmAllocation.jobIdIn("salloc: job 12 queued and waiting for resources"));
    }

    @Test
    void aRefusalQuotesSallocsErrors() {
        assertEquals("invalid partition specified: nope; Job submit/allocate failed: Invalid partition name specified",
                SlurmAllocation.refusal("salloc: error: invalid partition specified: nope\n"
                        + "salloc: error: Job submit/allocate failed: Invalid partition name specified\n"));
        assertEquals("salloc: unrecognized option '--nope'", SlurmAllocation.refusal("salloc: unrecognized option '--nope'\n"));
    }

    @Test
    void aJobsOptionsAreOneWordEachAndItsPendingLimitPositive() {
        assertThrows(IllegalArgumentException.class, () -> SlurmJob.of(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SlurmJob.of(1).option("hostname"));
        assertTrue(e.getMessage().contains("'hostname'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SlurmJob.of(1).pendingLimit(Duration.ZERO));
        assertEquals(SlurmJob.DEFAULT_PENDING_LIMIT, SlurmJob.of(1).pendingLimit());
    }
}
