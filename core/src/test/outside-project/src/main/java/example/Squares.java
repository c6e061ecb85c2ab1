package example;

import org.jparallel.api.HostLaunchException;
import org.jparallel.api.WorkerIdentity;
import org.jparallel.api.WorkerPool;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Squares five numbers on two worker JVMs with a lambda, and says which processes did it; then asks for a worker
 * on another host without BouncyCastle (optional in jparallel-core), which must fail naming the dependency.
 */
public class Squares {
    public static void main(String[] args) {
        List<Integer> xs = List.of(0, 1, 2, 3, 4);
        try (WorkerPool pool = WorkerPool.start(2)) {
            System.out.println("squares " + pool.map(x -> x * x, xs));
            Set<Long> pids = pool.map(x -> WorkerIdentity.current().pid(), xs, 1).stream().collect(Collectors.toSet());
            System.out.println("worker pids are not this one: " + !pids.contains(ProcessHandle.current().pid()));
        }
        try (WorkerPool remote = WorkerPool.builder().host("worker-host.invalid", 1).start()) {
            System.out.println("a pool with a host started without BouncyCastle");
        } catch (HostLaunchException e) {
            String message = e.getMessage();
            System.out.println("hosts without BouncyCastle: " + message.substring(0, message.indexOf(':'))
                    + (message.contains("org.bouncycastle:bcpkix-jdk18on") ? ", naming the dependency" : ""));
        }
    }
}
