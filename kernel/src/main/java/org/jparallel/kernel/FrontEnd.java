package org.jparallel.kernel;

/**
 * What kind of client sent the request being served, as far as the kernel can tell from what it saw of
 * that client's session, so that extensions choose how to show things without asking the user.
 */
public enum FrontEnd {
    /**
     * A terminal such as {@code jupyter console}: its session sent an {@code is_complete_request} (a
     * terminal asks whether the typed code is complete before it sends it; Notebook and Lab never do).
     * It prints displays once and ignores {@code update_display_data}, but writes streams as they come,
     * so a carriage return redraws a line in place.
     */
    TERMINAL,
    /** Any other client (Notebook, Lab, nbclient, jupyter_client scripts): displays can be updated in place. */
    DOCUMENT
}
