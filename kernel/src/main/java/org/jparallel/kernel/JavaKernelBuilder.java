package org.jparallel.kernel;

import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.jparallel.kernel.eval.SnippetEvaluator;
import org.jparallel.kernel.io.NotebookIO;
import org.jparallel.kernel.magic.ClasspathMagic;
import org.jparallel.kernel.magic.JarsMagic;
import org.jparallel.kernel.magic.LoadFromPomMagic;
import org.jparallel.kernel.magic.LoadMagic;
import org.jparallel.kernel.magic.LsMagic;
import org.jparallel.kernel.magic.MagicRewriter;
import org.jparallel.kernel.magic.MavenMagic;
import org.jparallel.kernel.magic.MavenRepoMagic;
import org.jparallel.kernel.magic.NotebookLibraries;
import org.jparallel.kernel.magic.TimeMagic;

import java.util.ArrayList;
import java.util.List;

/** Builds a {@link JavaKernel} with the kernel's own magics registered. */
public final class JavaKernelBuilder extends BaseKernelBuilder<JavaKernelBuilder, JavaKernel> {

    /** The imports every notebook starts with. */
    static final String DEFAULT_IMPORTS = String.join("\n",
            "import java.io.*;",
            "import java.math.*;",
            "import java.net.*;",
            "import java.nio.file.*;",
            "import java.time.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import java.util.concurrent.atomic.*;",
            "import java.util.function.*;",
            "import java.util.regex.*;",
            "import java.util.stream.*;",
            "import static org.jparallel.notebook.Notebook.*;");

    private final List<String> compilerOptions = new ArrayList<>();

    public JavaKernelBuilder() {
        name("jparallel");
        version(KernelVersion.VALUE);
        lineMagic("classpath", new ClasspathMagic());
        lineMagic("jars", new JarsMagic());
        lineMagic("time", TimeMagic.line());
        cellMagic("time", TimeMagic.cell());
        lineMagic("lsmagic", new LsMagic());
        lineMagic("load", new LoadMagic());
        NotebookLibraries libraries = new NotebookLibraries();
        lineMagic("maven", new MavenMagic(libraries));
        lineMagic("mavenRepo", new MavenRepoMagic(libraries));
        LoadFromPomMagic fromPom = new LoadFromPomMagic(libraries);
        lineMagic("loadFromPOM", fromPom);
        cellMagic("loadFromPOM", fromPom);
    }

    /** Extra {@code javac} options for snippets, e.g. {@code --enable-preview}. */
    public JavaKernelBuilder compilerOptions(List<String> options) {
        compilerOptions.addAll(options);
        return this;
    }

    /** What the kernel this builds answers a {@code kernel_info_request} with; known without starting JShell. */
    KernelInfo info() {
        LanguageInfo language = new LanguageInfo.Builder("java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("text/x-java")
                .build();
        return new KernelInfo(buildName(), buildVersion(), language, List.of(new HelpLink("Java API",
                "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/")));
    }

    @Override
    public JavaKernel build() {
        SnippetEvaluator evaluator = new SnippetEvaluator(JavaKernel.class.getClassLoader(), compilerOptions);
        MagicRewriter rewriter = new MagicRewriter();
        JavaKernel kernel = new JavaKernel(info(),
                new CellHistory(), buildJupyterIO(buildJupyterIOEncoding()), buildCommManager(), buildRenderer(),
                new MagicParser(MagicRewriter.LINE_MAGIC_START, "%%", rewriter), buildMagicsRegistry(),
                buildExtensionsEnabled(), buildErrorStyler(), evaluator, new NotebookIO());
        return kernel;
    }
}
