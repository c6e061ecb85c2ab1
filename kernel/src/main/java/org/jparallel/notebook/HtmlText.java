package org.jparallel.notebook;

/** The plain-text reading of a piece of HTML, for front ends that cannot show HTML (a console). */
final class HtmlText {

    private HtmlText() {
    }

    static String plain(String html) {
        String text = html
                .replaceAll("(?i)<br\\s*/?>|</(p|div|tr|li|h[1-6]|table|thead|tbody)>", "\n")
                .replaceAll("(?i)</t[dh]>", "\t")
                .replaceAll("<[^>]*>", "")
                .replace("&nbsp;", " ")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
        return text.replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    }
}
