package org.jparallel.notebook;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.jparallel.kernel.JavaKernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * What notebook code can ask of the kernel, imported statically into every notebook: show rich
 * output, update it in place, and read input from the user.
 *
 * <pre>{@code
 * String bar = display(html("<b>0%</b>"));
 * for (int i = 1; i <= 10; i++) { work(); updateDisplay(bar, html("<b>" + 10 * i + "%</b>")); }
 * }</pre>
 *
 * Every method may be called from any thread the cell started.
 */
public final class Notebook {

    private Notebook() {
    }

    /** Shows a value below the cell and returns its display id, for {@link #updateDisplay}. */
    public static String display(Object value) {
        DisplayData data = copyOf(kernel().render(value));
        String id = UUID.randomUUID().toString();
        data.setDisplayId(id);
        kernel().notebookIO().display(data);
        return id;
    }

    /** Replaces what the display with this id shows, wherever it is in the notebook. */
    public static void updateDisplay(String displayId, Object value) {
        DisplayData data = copyOf(kernel().render(value));
        data.setDisplayId(displayId);
        kernel().notebookIO().updateDisplay(data);
    }

    /** HTML to show, e.g. {@code display(html("<b>done</b>"))} or as a cell's last expression. */
    public static DisplayData html(String html) {
        DisplayData data = new DisplayData(HtmlText.plain(html));
        data.putHTML(html);
        return data;
    }

    /** Markdown to show. */
    public static DisplayData markdown(String markdown) {
        DisplayData data = new DisplayData(markdown);
        data.putMarkdown(markdown);
        return data;
    }

    /** Asks the user for a line of text (the front end shows an input box). */
    public static String input(String prompt) {
        try {
            return kernel().notebookIO().readLine(prompt, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Asks the user for a password; the front end hides what is typed. */
    public static String password(String prompt) {
        try {
            return kernel().notebookIO().readLine(prompt, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static DisplayData copyOf(DisplayData data) {
        return new DisplayData(data);
    }

    private static JavaKernel kernel() {
        return JavaKernel.current();
    }
}
