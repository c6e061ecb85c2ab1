package org.jparallel.notebook;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HtmlTextTest {

    @Test
    void tablesReadAsRowsAndTabbedCells() {
        assertEquals("City\tTemp\nOslo\t-7.0",
                HtmlText.plain("<table><tr><th>City</th><th>Temp</th></tr><tr><td>Oslo</td><td>-7.0</td></tr></table>"));
    }

    @Test
    void entitiesAndInlineTagsAreResolved() {
        assertEquals("a < b & \"c\"", HtmlText.plain("<b>a</b> &lt; b &amp; &quot;c&quot;"));
        assertEquals("line one\nline two", HtmlText.plain("line one<br/>line two"));
    }
}
