package example;

import org.jparallel.api.WorkerIdentity;
import org.jparallel.api.WorkerPool;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Squares five numbers on two worker JVMs with a lambda, and says which processes did it. */
public class Squares {
    public static void main(String[] args) {
        List<Integer> xs = List.of(0, 1, 2, 3, 4);
        try (WorkerPool pool = WorkerPool.start(2)) {
            System.out.println("squares " + pool.map(x -> x * x, xs));
            Set<Long> pids = pool.map(x -> WorkerIdentity.current().pid(), xs, 1).stream().collect(Collectors.toSet());
            System.out.println("worker pids are not this one: " + !pids.contains(ProcessHandle.current().pid()));
        }
    }
}
