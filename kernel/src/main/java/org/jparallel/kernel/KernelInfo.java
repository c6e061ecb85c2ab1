package org.jparallel.kernel;

import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.jparallel.kernel.io.ProtocolContent;

import java.util.List;

/**
 * What the kernel answers a {@code kernel_info_request} with. None of it needs JShell, so the kernel answers it while
 * JShell starts (see {@link KernelMain}), and the same way once it runs.
 */
record KernelInfo(String name, String version, LanguageInfo language, List<HelpLink> helpLinks) {

    /** The banner as jjava-jupyter's {@code BaseKernel.getBanner()} writes it. */
    String banner() {
        return String.format("%s %s :: %s %s :: Protocol v%s", language.getName(), language.getVersion(), name, version,
                Header.PROTOCOL_VERISON);
    }

    /** Answers a {@code kernel_info_request}, with the busy and idle statuses around it. */
    ShellHandler<KernelInfoRequest> handler() {
        return (env, message) -> {
            env.setBusyDeferIdle();
            env.reply(ProtocolContent.ok(MessageType.KERNEL_INFO_REPLY)
                    .with("protocol_version", Header.PROTOCOL_VERISON)
                    .with("implementation", name)
                    .with("implementation_version", version)
                    .with("language_info", language)
                    .with("banner", banner())
                    .with("help_links", helpLinks));
        };
    }
}
