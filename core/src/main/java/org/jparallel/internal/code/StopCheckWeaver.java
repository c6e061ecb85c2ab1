package org.jparallel.internal.code;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.HashSet;
import java.util.Set;

/**
 * Instruments compiled snippet classes so that they can be stopped: a call to {@link CellStop#check()}
 * at the start of every method and before every jump to an earlier label (every loop iteration).
 *
 * <p>This is how the kernel, and later the workers, interrupt user code on JDK 17 and on JDK 21+,
 * where {@code Thread.stop} no longer exists. Library code is not instrumented; a thread blocked in
 * the JDK is woken by {@link Thread#interrupt()} instead.
 */
public final class StopCheckWeaver {

    private static final String CHECK_OWNER = CellStop.class.getName().replace('.', '/');

    private StopCheckWeaver() {
    }

    /** Returns the instrumented copy of a class file. */
    public static byte[] weave(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                boolean hasCode = (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
                return hasCode ? new CheckingMethod(next) : next;
            }
        }, 0);
        return writer.toByteArray();
    }

    /** Adds the checks to one method body; the operand stack is unchanged at every check. */
    private static final class CheckingMethod extends MethodVisitor {
        private final Set<Label> seen = new HashSet<>();

        CheckingMethod(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            emitCheck();
        }

        @Override
        public void visitLabel(Label label) {
            seen.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (seen.contains(label)) {
                emitCheck();
            }
            super.visitJumpInsn(opcode, label);
        }

        private void emitCheck() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, CHECK_OWNER, "check", "()V", false);
        }
    }
}
