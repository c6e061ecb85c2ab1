package org.jparallel.internal.magic;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.jparallel.api.ManagedList;
import org.jparallel.api.ManagedMap;
import org.jparallel.api.ManagedNamespace;
import org.jparallel.internal.manager.RealManager;
import org.jparallel.kernel.JavaKernel;

import java.util.List;

/**
 * {@code %pool dict NAME}, {@code %pool list NAME}, {@code %pool namespace NAME}: declares notebook variable NAME
 * as a new object of the notebook pool's own manager (started on first use, stopped with the pool), which
 * {@code %%parallel} bodies reach from workers on every host, those of {@code --hosts} included (through TLS);
 * unlike {@code Manager.start()}, whose proxies stay on this host, and unlike {@code Shared.*}. Starts the
 * pool if there is none, as a parallel cell would.
 */
final class ManagedVariable {

    private ManagedVariable() {
    }

    /** Declares the variable {@code words} name ({@code dict NAME}) and says what it is. */
    static DisplayData declare(JavaKernel kernel, MagicArgs args, List<String> words) {
        String kind = words.get(0);
        if (words.size() != 2) {
            throw args.error(kind + " needs the name of the notebook variable to declare: %pool " + kind + " NAME");
        }
        String name = words.get(1);
        args.checkVariableName("%pool " + kind, name);
        RealManager manager = NotebookPool.get().manager();
        switch (kind) {
            case "dict" -> NotebookVariables.assign(kernel, name, ManagedMap.class.getName() + "<Object, Object>",
                    manager.map(null));
            case "list" -> NotebookVariables.assign(kernel, name, ManagedList.class.getName() + "<Object>",
                    manager.list(null));
            default -> NotebookVariables.assign(kernel, name, ManagedNamespace.class.getName(), manager.namespace());
        }
        return new DisplayData(name + " is a new managed " + kind + " of the notebook pool's manager: %%parallel"
                + " bodies reach it from every worker, on this machine and on other hosts; it is gone when the"
                + " pool stops");
    }
}
