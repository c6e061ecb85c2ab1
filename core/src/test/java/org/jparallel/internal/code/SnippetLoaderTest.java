package org.jparallel.internal.code;

import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snippet classes by content: the same bytes again are nothing new; other bytes under a defined name are refused. */
class SnippetLoaderTest {

    /** A snippet class whose {@code do_it$} returns {@code value}, as JShell compiles {@code int v = value;}. */
    private static byte[] snippet(String name, int value) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name.replace('.', '/'), null, "java/lang/Object", null);
        MethodVisitor doIt = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "do_it$", "()Ljava/lang/Object;",
                null, null);
        doIt.visitCode();
        doIt.visitLdcInsn(value);
        doIt.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
        doIt.visitInsn(Opcodes.ARETURN);
        doIt.visitMaxs(0, 0);
        doIt.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static Object run(SnippetLoader loader, String name) throws Exception {
        return loader.findClass(name).getMethod("do_it$").invoke(null);
    }

    @Test
    void theSameBytesAgainAreNothingNewToShip() throws Exception {
        SnippetLoader loader = new SnippetLoader(SnippetLoaderTest.class.getClassLoader());
        loader.load(new ClassBytecodes[] {new ClassBytecodes("REPL.S1", snippet("REPL.S1", 1))});
        loader.load(new ClassBytecodes[] {new ClassBytecodes("REPL.S1", snippet("REPL.S1", 1))});
        assertEquals(1, loader.compiledClassCount());
        assertEquals(1, run(loader, "REPL.S1"));
    }

    @Test
    void otherBytesUnderADefinedNameAreRefusedNotRunStale() throws Exception {
        SnippetLoader loader = new SnippetLoader(SnippetLoaderTest.class.getClassLoader());
        loader.load(new ClassBytecodes[] {new ClassBytecodes("REPL.S2", snippet("REPL.S2", 1))});
        ClassInstallException refused = assertThrows(ClassInstallException.class, () -> loader.load(
                new ClassBytecodes[] {new ClassBytecodes("REPL.S2", snippet("REPL.S2", 2))}));
        assertTrue(refused.getMessage().contains("REPL.S2 was loaded here from other bytes"),
                refused.getMessage());
        assertEquals(1, loader.compiledClassCount(), "nothing new to ship");
        assertArrayEquals(snippet("REPL.S2", 1), loader.compiledClassBytes("REPL.S2"));
    }
}
