package org.jparallel.internal.code;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds which notebook variables a piece of snippet code reads, following the calls it makes into other
 * snippet code.
 *
 * <p>A notebook variable is a static field of a top-level JShell wrapper class ({@code REPL.$JShell$12},
 * {@code REPL.$JShell$12B}); static fields of classes declared in the notebook ({@code REPL.$JShell$20$Point})
 * are not. Only {@code GETSTATIC} counts as a read: a variable the code only assigns is not reported, since
 * its old value is never used (a compound assignment such as {@code x += 1} reads first, so it is reported).
 *
 * <p>From the starting method the search follows, within snippet classes only: static, special, virtual and
 * interface calls (a virtual or interface call also reaches every snippet class's same-named and
 * same-described instance method that may override it); method handles in {@code invokedynamic} bootstrap
 * arguments and constants (lambda bodies, method references); the static initializer of every snippet class
 * it touches (and of that class's snippet supertypes); constructors; and, for every snippet class it
 * instantiates, the methods library code could call back on the instance ({@code toString}, {@code equals},
 * {@code hashCode}; every instance method when the class has another library supertype, such as
 * {@code Comparable} or {@code Runnable}). It is an over-approximation of what can run, with two known gaps:
 * code reachable only through the value of a notebook variable (a lambda or object created by an earlier cell
 * and read here) when library code calls it back is not followed, and code reached only by reflection is not
 * found.
 *
 * <p>Parsed classes are cached, keyed by name and checked against the bytes {@code classBytes} returns, so
 * one instance can serve a whole notebook session. Thread-safe.
 */
public final class VariableReads {

    private static final String WRAPPER_PREFIX = "REPL.$JShell$";
    private static final Set<String> OBJECT_METHODS = Set.of("toString()Ljava/lang/String;",
            "equals(Ljava/lang/Object;)Z", "hashCode()I", "clone()Ljava/lang/Object;", "finalize()V");

    private final Function<String, byte[]> classBytes;
    private final Supplier<? extends Collection<String>> snippetClassNames;
    private final Map<String, Parsed> cache = new ConcurrentHashMap<>();

    /**
     * A search that meets overriding methods only in the snippet classes that the traced code itself names
     * (calls, fields, {@code new}, casts). Prefer {@link #VariableReads(Function, Supplier)} or
     * {@link #VariableReads(Map)}, which see every snippet class.
     *
     * @param classBytes the bytes of a snippet class by binary name, {@code null} for any other class;
     *                   called often, so it should be a cheap lookup
     */
    public VariableReads(Function<String, byte[]> classBytes) {
        this(classBytes, null);
    }

    /**
     * @param classBytes        the bytes of a snippet class by binary name, {@code null} for any other class;
     *                          called often, so it should be a cheap lookup
     * @param snippetClassNames the binary names of every snippet class, asked once per search that meets a
     *                          virtual or interface call; {@code null} to use only the classes met
     */
    public VariableReads(Function<String, byte[]> classBytes, Supplier<? extends Collection<String>> snippetClassNames) {
        this.classBytes = Objects.requireNonNull(classBytes, "classBytes");
        this.snippetClassNames = snippetClassNames;
    }

    /** A search over a fixed set of snippet classes, such as {@code SnippetLoader.compiledClasses()}. */
    public VariableReads(Map<String, byte[]> snippetClasses) {
        this(snippetClasses::get, snippetClasses::keySet);
    }

    /**
     * The notebook variables that running a method may read.
     *
     * @param className        the binary name of the snippet class declaring the method
     * @param methodName       the method's name, such as {@code do_it$}
     * @param methodDescriptor its JVM descriptor, or {@code null} for every method of that name in the class
     * @return the variables read, in the order first found; empty if the class or method is unknown
     */
    public Set<VariableRef> readBy(String className, String methodName, String methodDescriptor) {
        Objects.requireNonNull(methodName, "methodName");
        Trace trace = new Trace();
        ClassSummary start = trace.meet(Objects.requireNonNull(className, "className"));
        if (start == null) {
            return Set.of();
        }
        trace.touch(start);
        if (methodDescriptor == null) {
            for (MethodInfo m : start.methods) {
                if (m.name.equals(methodName)) {
                    trace.enqueue(m);
                }
            }
        } else {
            trace.resolve(start, methodName, methodDescriptor);
        }
        trace.run();
        return Collections.unmodifiableSet(trace.reads);
    }

    /**
     * The notebook variables that a method reads where it runs: its own code, and the code of the snippet methods
     * it calls statically (notebook methods), and theirs; not lambda bodies, method references or instance methods,
     * whose code may be handed on and run elsewhere. An under-approximation of {@link #readBy}: what surely runs here.
     *
     * @return the variables read, in the order first found; empty if the class or method is unknown
     */
    public Set<VariableRef> readInPlace(String className, String methodName) {
        Set<VariableRef> reads = new LinkedHashSet<>();
        Set<MethodInfo> reached = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<MethodInfo> pending = new ArrayDeque<>();
        ClassSummary start = summary(className);
        if (start != null) {
            start.methods.stream().filter(m -> m.name.equals(methodName)).forEach(pending::add);
        }
        MethodInfo m;
        while ((m = pending.poll()) != null) {
            if (reached.add(m)) {
                Collections.addAll(reads, m.reads);
                for (Ref call : m.staticCalls) {
                    ClassSummary owner = summary(call.owner);
                    MethodInfo callee = owner == null ? null : owner.byKey.get(call.name + call.desc);
                    if (callee != null) {
                        pending.add(callee);
                    }
                }
            }
        }
        return Collections.unmodifiableSet(reads);
    }

    /** Whether a binary class name is a top-level JShell wrapper, whose static fields are notebook variables. */
    static boolean isWrapper(String binaryName) {
        return binaryName.length() > WRAPPER_PREFIX.length()
                && binaryName.startsWith(WRAPPER_PREFIX)
                && Character.isDigit(binaryName.charAt(WRAPPER_PREFIX.length()))
                && binaryName.indexOf('$', WRAPPER_PREFIX.length()) < 0;
    }

    private ClassSummary summary(String binaryName) {
        byte[] bytes = classBytes.apply(binaryName);
        if (bytes == null) {
            return null;
        }
        Parsed known = cache.get(binaryName);
        if (known != null && (known.bytes == bytes || Arrays.equals(known.bytes, bytes))) {
            return known.summary;
        }
        ClassSummary parsed = Scanner.scan(bytes);
        cache.put(binaryName, new Parsed(bytes, parsed));
        return parsed;
    }

    /** One search: the methods reached so far and the variables they read. */
    private final class Trace {
        final Set<VariableRef> reads = new LinkedHashSet<>();
        private final Map<String, ClassSummary> met = new HashMap<>();
        private final Map<String, List<ClassSummary>> metByMethod = new HashMap<>();
        private final Map<String, List<String>> virtualCalls = new HashMap<>();
        private final Set<MethodInfo> reached = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<ClassSummary> touched = Collections.newSetFromMap(new IdentityHashMap<>());
        private final ArrayDeque<MethodInfo> queue = new ArrayDeque<>();
        private boolean metAll;

        /** The summary of a snippet class, or null for any other class; remembered for the whole search. */
        ClassSummary meet(String name) {
            if (met.containsKey(name)) {
                return met.get(name);
            }
            ClassSummary c = summary(name);
            met.put(name, c);
            if (c != null) {
                for (MethodInfo m : c.methods) {
                    if (m.overridable()) {
                        metByMethod.computeIfAbsent(m.key, k -> new ArrayList<>(2)).add(c);
                        List<String> owners = virtualCalls.get(m.key);
                        if (owners != null) {
                            for (int i = 0; i < owners.size(); i++) {
                                if (mayBeSubtype(c, owners.get(i))) {
                                    enqueue(m);
                                    break;
                                }
                            }
                        }
                    }
                }
            }
            return c;
        }

        void enqueue(MethodInfo m) {
            if (reached.add(m)) {
                queue.add(m);
            }
        }

        void run() {
            MethodInfo m;
            while ((m = queue.poll()) != null) {
                Collections.addAll(reads, m.reads);
                for (Ref ref : m.refs) {
                    follow(ref);
                }
            }
        }

        private void follow(Ref ref) {
            ClassSummary owner = meet(ref.owner);
            switch (ref.kind) {
                case Ref.STATIC -> {
                    touch(owner);
                    if (owner != null) {
                        resolve(owner, ref.name, ref.desc);
                    }
                }
                case Ref.SPECIAL -> {
                    if (owner != null) {
                        resolve(owner, ref.name, ref.desc);
                    }
                }
                case Ref.VIRTUAL -> {
                    if (owner != null) {
                        resolve(owner, ref.name, ref.desc);
                    }
                    dispatch(ref.owner, ref.name + ref.desc);
                }
                case Ref.TOUCH -> touch(owner);
                case Ref.NEW -> {
                    touch(owner);
                    libraryCallbacks(owner);
                }
                default -> {
                    // MEET: the class is named, which is enough to consider it for dispatch
                }
            }
        }

        /** The method a static or special call (or the start) runs: declared here, else inherited. */
        void resolve(ClassSummary c, String name, String desc) {
            String key = name + desc;
            MethodInfo m = c.byKey.get(key);
            if (m != null || name.equals("<init>") || name.equals("<clinit>")) {
                if (m != null) {
                    enqueue(m);
                }
                return;
            }
            List<ClassSummary> chain = new ArrayList<>();
            for (ClassSummary s = c; s != null; s = s.superName == null ? null : meet(s.superName)) {
                m = s.byKey.get(key);
                if (m != null) {
                    enqueue(m);
                    return;
                }
                chain.add(s);
            }
            // not in the class chain: a default method of some superinterface (take every candidate)
            ArrayDeque<ClassSummary> pending = new ArrayDeque<>(chain);
            Set<ClassSummary> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            while (!pending.isEmpty()) {
                ClassSummary s = pending.poll();
                for (String i : s.interfaces) {
                    ClassSummary ic = meet(i);
                    if (ic != null && seen.add(ic)) {
                        MethodInfo d = ic.byKey.get(key);
                        if (d != null) {
                            enqueue(d);
                        }
                        pending.add(ic);
                    }
                }
            }
        }

        /** A virtual or interface call may run any snippet override: those met now and those met later. */
        private void dispatch(String owner, String key) {
            List<String> owners = virtualCalls.computeIfAbsent(key, k -> new ArrayList<>(2));
            if (owners.contains(owner)) {
                return;
            }
            owners.add(owner);
            if (!metAll && snippetClassNames != null) {
                metAll = true;
                for (String name : snippetClassNames.get()) {
                    meet(name); // checks each new class against the calls pending, this one included
                }
            }
            List<ClassSummary> candidates = metByMethod.get(key);
            if (candidates != null) {
                for (int i = 0; i < candidates.size(); i++) {
                    ClassSummary c = candidates.get(i);
                    if (mayBeSubtype(c, owner)) {
                        enqueue(c.byKey.get(key));
                    }
                }
            }
        }

        /** Initializing a class runs its static initializer, after its supertypes' (interfaces: over-approximated). */
        void touch(ClassSummary c) {
            if (c == null || !touched.add(c)) {
                return;
            }
            MethodInfo clinit = c.byKey.get("<clinit>()V");
            if (clinit != null) {
                enqueue(clinit);
            }
            if (c.superName != null) {
                touch(meet(c.superName));
            }
            for (String i : c.interfaces) {
                touch(meet(i));
            }
        }

        /**
         * An instance created here may be handed to library code, which can call only methods that it knows
         * of: those its library supertypes declare. Without reading library classes, that is taken to be every
         * instance method if the class has a library supertype other than {@code Object} and {@code Record},
         * and otherwise the {@code Object} methods a class can override.
         */
        private void libraryCallbacks(ClassSummary c) {
            if (c == null) {
                return;
            }
            List<ClassSummary> types = new ArrayList<>();
            boolean otherLibrarySuper = supertypes(c, types);
            for (ClassSummary s : types) {
                for (MethodInfo m : s.methods) {
                    if (m.overridable() && (otherLibrarySuper || OBJECT_METHODS.contains(m.key))) {
                        enqueue(m);
                    }
                }
            }
        }

        /**
         * Collects a class and its snippet supertypes; true if it also has a library supertype other than
         * {@code Object} and {@code Record}.
         */
        private boolean supertypes(ClassSummary c, List<ClassSummary> into) {
            boolean otherLibrarySuper = false;
            Set<ClassSummary> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            ArrayDeque<ClassSummary> pending = new ArrayDeque<>();
            pending.add(c);
            while (!pending.isEmpty()) {
                ClassSummary s = pending.poll();
                if (!seen.add(s)) {
                    continue;
                }
                into.add(s);
                for (int i = -1; i < s.interfaces.length; i++) {
                    String sup = i < 0 ? s.superName : s.interfaces[i];
                    if (sup == null) {
                        continue;
                    }
                    ClassSummary sc = meet(sup);
                    if (sc != null) {
                        pending.add(sc);
                    } else if (!sup.equals("java.lang.Object") && !sup.equals("java.lang.Record")) {
                        otherLibrarySuper = true;
                    }
                }
            }
            return otherLibrarySuper;
        }

        /**
         * False only when a class provably is not a subtype of the call's owner: the owner is a snippet class
         * missing from its supertypes, or every non-snippet supertype it has is {@code Object} or {@code Record}.
         * A snippet interface always may be (its default method can serve any class implementing it).
         */
        private boolean mayBeSubtype(ClassSummary c, String owner) {
            if (c.isInterface || c.name.equals(owner) || owner.equals("java.lang.Object")) {
                return true;
            }
            List<ClassSummary> types = new ArrayList<>();
            boolean otherLibrarySuper = supertypes(c, types);
            for (ClassSummary s : types) {
                if (s.name.equals(owner) || s.hasDirectSupertype(owner)) {
                    return true;
                }
            }
            return otherLibrarySuper && meet(owner) == null;
        }
    }

    private record Parsed(byte[] bytes, ClassSummary summary) {
    }

    /** What the search needs of one class. Names are binary names. */
    private static final class ClassSummary {
        final String name;
        final String superName;
        final String[] interfaces;
        final boolean isInterface;
        final List<MethodInfo> methods;
        final Map<String, MethodInfo> byKey;

        ClassSummary(String name, String superName, String[] interfaces, boolean isInterface, List<MethodInfo> methods) {
            this.name = name;
            this.superName = superName;
            this.interfaces = interfaces;
            this.isInterface = isInterface;
            this.methods = methods;
            this.byKey = new HashMap<>();
            for (MethodInfo m : methods) {
                byKey.put(m.key, m);
            }
        }

        boolean hasDirectSupertype(String type) {
            if (type.equals(superName)) {
                return true;
            }
            for (String i : interfaces) {
                if (i.equals(type)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One method: the variables its own code reads, and everything it refers to that may run more code. */
    private static final class MethodInfo {
        final String name;
        final String key;
        final int access;
        final VariableRef[] reads;
        final Ref[] refs;
        /** The {@code invokestatic} instructions among {@link #refs}: calls this method's own code makes. */
        final Ref[] staticCalls;

        MethodInfo(String name, String desc, int access, VariableRef[] reads, Ref[] refs, Ref[] staticCalls) {
            this.name = name;
            this.key = name + desc;
            this.access = access;
            this.reads = reads;
            this.refs = refs;
            this.staticCalls = staticCalls;
        }

        /** An instance method with code, other than a constructor. */
        boolean overridable() {
            return (access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0
                    && !name.equals("<init>");
        }
    }

    /** A reference from code to a class or method. */
    private record Ref(int kind, String owner, String name, String desc) {
        static final int STATIC = 0;
        static final int SPECIAL = 1;
        static final int VIRTUAL = 2;
        static final int TOUCH = 3;
        static final int NEW = 4;
        static final int MEET = 5;
    }

    /** Reads one class file into a {@link ClassSummary}. */
    private static final class Scanner extends ClassVisitor {
        private String name;
        private String superName;
        private String[] interfaces;
        private boolean isInterface;
        private final List<MethodInfo> methods = new ArrayList<>();

        private Scanner() {
            super(Opcodes.ASM9);
        }

        static ClassSummary scan(byte[] bytes) {
            Scanner scanner = new Scanner();
            new ClassReader(bytes).accept(scanner, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return new ClassSummary(scanner.name, scanner.superName, scanner.interfaces, scanner.isInterface,
                    List.copyOf(scanner.methods));
        }

        private static String binary(String internalName) {
            return internalName.replace('/', '.');
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            this.name = binary(name);
            this.superName = superName == null ? null : binary(superName);
            this.interfaces = interfaces == null ? new String[0]
                    : Arrays.stream(interfaces).map(Scanner::binary).toArray(String[]::new);
            this.isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            return new MethodScanner(access, name, descriptor);
        }

        private final class MethodScanner extends MethodVisitor {
            private final int access;
            private final String methodName;
            private final String desc;
            private final Set<VariableRef> reads = new LinkedHashSet<>();
            private final Set<Ref> refs = new LinkedHashSet<>();
            private final Set<Ref> staticCalls = new LinkedHashSet<>();

            MethodScanner(int access, String name, String desc) {
                super(Opcodes.ASM9);
                this.access = access;
                this.methodName = name;
                this.desc = desc;
            }

            @Override
            public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
                if (opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC) {
                    field(opcode == Opcodes.GETSTATIC, owner, name);
                }
            }

            private void field(boolean read, String owner, String name) {
                String o = binary(owner);
                if (read && isWrapper(o)) {
                    reads.add(new VariableRef(o, name));
                }
                refs.add(new Ref(Ref.TOUCH, o, null, null));
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                if (owner.startsWith("[")) {
                    return; // clone() of an array
                }
                int kind = switch (opcode) {
                    case Opcodes.INVOKESTATIC -> Ref.STATIC;
                    case Opcodes.INVOKESPECIAL -> Ref.SPECIAL;
                    default -> Ref.VIRTUAL;
                };
                Ref call = new Ref(kind, binary(owner), name, descriptor);
                refs.add(call);
                if (kind == Ref.STATIC) {
                    staticCalls.add(call);
                }
            }

            @Override
            public void visitTypeInsn(int opcode, String type) {
                if (!type.startsWith("[")) {
                    refs.add(new Ref(opcode == Opcodes.NEW ? Ref.NEW : Ref.MEET, binary(type), null, null));
                }
            }

            @Override
            public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... args) {
                handle(bsm);
                constants(args);
            }

            @Override
            public void visitLdcInsn(Object value) {
                constants(value);
            }

            private void constants(Object... values) {
                for (Object v : values) {
                    if (v instanceof Handle h) {
                        handle(h);
                    } else if (v instanceof ConstantDynamic c) {
                        handle(c.getBootstrapMethod());
                        for (int i = 0; i < c.getBootstrapMethodArgumentCount(); i++) {
                            constants(c.getBootstrapMethodArgument(i));
                        }
                    }
                }
            }

            private void handle(Handle h) {
                String owner = binary(h.getOwner());
                switch (h.getTag()) {
                    case Opcodes.H_GETSTATIC -> field(true, h.getOwner(), h.getName());
                    case Opcodes.H_PUTSTATIC -> field(false, h.getOwner(), h.getName());
                    case Opcodes.H_INVOKESTATIC -> refs.add(new Ref(Ref.STATIC, owner, h.getName(), h.getDesc()));
                    case Opcodes.H_INVOKESPECIAL -> refs.add(new Ref(Ref.SPECIAL, owner, h.getName(), h.getDesc()));
                    case Opcodes.H_NEWINVOKESPECIAL -> {
                        refs.add(new Ref(Ref.NEW, owner, null, null));
                        refs.add(new Ref(Ref.SPECIAL, owner, h.getName(), h.getDesc()));
                    }
                    case Opcodes.H_INVOKEVIRTUAL, Opcodes.H_INVOKEINTERFACE ->
                            refs.add(new Ref(Ref.VIRTUAL, owner, h.getName(), h.getDesc()));
                    default -> {
                        // instance field handles: the object already exists, nothing new runs
                    }
                }
            }

            @Override
            public void visitEnd() {
                methods.add(new MethodInfo(methodName, desc, access, reads.toArray(new VariableRef[0]),
                        refs.toArray(new Ref[0]), staticCalls.toArray(new Ref[0])));
            }
        }
    }
}
