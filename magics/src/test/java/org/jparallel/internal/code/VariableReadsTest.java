package org.jparallel.internal.code;

import org.jparallel.kernel.eval.SnippetEvaluator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VariableReadsTest {

    private static SnippetEvaluator evaluator;

    @BeforeAll
    static void start() {
        evaluator = new SnippetEvaluator(VariableReadsTest.class.getClassLoader(), List.of());
        run("import java.util.function.*;\nimport java.util.stream.*;");
    }

    @AfterAll
    static void stop() {
        evaluator.close();
    }

    private static Object run(String code) {
        return evaluator.eval(code, "cell[t]", w -> { }).value();
    }

    private static Map<String, byte[]> classes() {
        return evaluator.loader().compiledClasses();
    }

    /** The newest snippet class declaring the member the test accepts (load order is definition order). */
    private static String newestDeclaring(BiPredicate<String, Boolean> member) {
        String found = null;
        for (Map.Entry<String, byte[]> e : classes().entrySet()) {
            boolean[] has = new boolean[1];
            new ClassReader(e.getValue()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                    has[0] |= member.test(name, true);
                    return null;
                }

                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    has[0] |= member.test(name, false);
                    return null;
                }
            }, ClassReader.SKIP_CODE);
            if (has[0]) {
                found = e.getKey();
            }
        }
        assertTrue(found != null, "no snippet class has the member asked for");
        return found;
    }

    /** The wrapper of the snippet evaluated last. */
    private static String lastWrapper() {
        return newestDeclaring((name, field) -> !field && name.equals("do_it$"));
    }

    /** The notebook variable of that name as currently defined. */
    private static VariableRef variable(String name) {
        String owner = newestDeclaring((n, field) -> field && n.equals(name));
        assertTrue(VariableReads.isWrapper(owner), owner);
        return new VariableRef(owner, name);
    }

    private static Set<VariableRef> readsOfLastCell() {
        return new VariableReads(classes()).readBy(lastWrapper(), "do_it$", null);
    }

    @Test
    void aCellReadsTheVariablesItsMethodsAndClassesUse() {
        run("int scale = 3;\nint unused = 9;\nint bonus = 2;");
        run("int f(int x) { return x * scale; }");
        run("record P(int a) { int g() { return a * bonus; } int h() { return unused; } }");
        assertEquals(8, run("f(2) + new P(1).g()"));
        String cell = lastWrapper();
        Set<VariableRef> expected = Set.of(variable("scale"), variable("bonus"));
        assertEquals(expected, new VariableReads(classes()).readBy(cell, "do_it$", null));
        assertEquals(expected, new VariableReads(classes()::get).readBy(cell, "do_it$", "()Ljava/lang/Object;"));
        // the record's other method reads `unused`: it is reported once the cell calls it
        run("P pee = new P(4);");
        assertTrue(readsOfLastCell().isEmpty(), "assigning a variable is not reading one");
        run("pee.h()");
        assertEquals(Set.of(variable("pee"), variable("unused")), readsOfLastCell());
    }

    @Test
    void libraryCodeMayCallBackObjectsTheCellCreates() {
        run("String suffix = \"!\";\nint never = 1;");
        run("record Tag(int n) { public String toString() { return \"t\" + n + suffix; } int no() { return never; } }");
        assertEquals("t1!", run("String.valueOf(new Tag(1))"));
        assertEquals(Set.of(variable("suffix")), readsOfLastCell());
        run("Object boxed = new Tag(2);");
        assertEquals("t2!", run("boxed.toString()"));
        assertEquals(Set.of(variable("boxed"), variable("suffix")), readsOfLastCell());
        run("int rank = 0;");
        run("class Item implements Comparable<Item> { public int compareTo(Item o) { return rank; } }");
        run("java.util.Arrays.sort(new Item[] {new Item(), new Item()})");
        assertEquals(Set.of(variable("rank")), readsOfLastCell());
    }

    @Test
    void lambdaBodiesAndMethodReferencesAreFollowed() {
        run("int offset = 1;\nint step = 5;\nint factor = 7;\nint spare = 0;");
        run("Function<Integer, Integer> hh = x -> x + offset;");
        String declaring = newestDeclaring((n, field) -> field && n.equals("hh"));
        assertEquals(Set.of(variable("offset")), new VariableReads(classes()).readBy(declaring, "do_it$", null));

        assertEquals(15, run("IntStream.range(0, 3).map(i -> i * step).sum()"));
        assertEquals(Set.of(variable("step")), readsOfLastCell());

        run("class Util { static int times(int x) { return x * factor; } static int other() { return spare; } }");
        assertEquals(21, run("IntStream.range(0, 3).map(Util::times).sum()"));
        assertEquals(Set.of(variable("factor")), readsOfLastCell());
    }

    @Test
    void recursionTerminates() {
        run("int limit = 100;\nint floor = -1;");
        run("boolean isOdd(int n) { return false; }");
        run("boolean isEven(int n) { return n == 0 || (n < limit && isOdd(n - 1)); }");
        run("boolean isOdd(int n) { return n != 0 && n > floor && isEven(n - 1); }");
        run("int down(int n) { return n <= 0 ? 0 : down(n - 1); }");
        assertEquals(true, run("isEven(10) && down(3) == 0"));
        Set<VariableRef> reads = assertTimeoutPreemptively(Duration.ofSeconds(10), VariableReadsTest::readsOfLastCell);
        assertEquals(Set.of(variable("limit"), variable("floor")), reads);
    }

    @Test
    void aRedefinedMethodIsFollowedFromTheNextCell() {
        run("int mult = 2;\nint plus = 7;");
        run("int r(int x) { return x * mult; }");
        String first = newestDeclaring((n, field) -> !field && n.equals("r"));
        assertEquals(10, run("r(5)"));
        String before = lastWrapper();
        assertEquals(Set.of(variable("mult")), readsOfLastCell());

        run("int r(int x) { return x + plus; }");
        assertNotEquals(first, newestDeclaring((n, field) -> !field && n.equals("r")));
        assertEquals(12, run("r(5)"));
        VariableReads reads = new VariableReads(classes());
        assertEquals(Set.of(variable("plus")), reads.readBy(lastWrapper(), "do_it$", null));
        assertEquals(Set.of(variable("mult")), reads.readBy(before, "do_it$", null), "an old cell keeps the old r");
    }

    @Test
    void interfaceCallsReachImplementationsButNotLookalikes() {
        run("double unit = 1.5;\nint level = 3;\nint elsewhere = 4;");
        run("interface Shape { double area(); }");
        run("class Sq implements Shape { public double area() { return unit; } }");
        run("class Task implements Runnable { public void run() { if (level < 0) throw new Error(); } }");
        run("record Lookalike(int z) { public void run() { System.out.println(elsewhere); } }");
        run("Shape shape = new Sq();\nRunnable job = new Task();");
        assertEquals(1.5, run("shape.area()"));
        assertEquals(Set.of(variable("shape"), variable("unit")), readsOfLastCell());
        run("job.run()");
        String cell = lastWrapper();
        assertEquals(Set.of(variable("job"), variable("level")), readsOfLastCell());
        // told only of the classes the cell names, nothing implements Runnable
        assertEquals(Set.of(variable("job")), new VariableReads(classes()::get).readBy(cell, "do_it$", null));
    }

    @Test
    void staticFieldsOfNotebookClassesAreNotVariablesButTheirInitializersRun() {
        run("int base = 10;\nint seed = 4;");
        run("class Counter { static int hits = 0; static int bump() { return ++hits + base; } }");
        run("class Conf { static final java.util.List<Integer> L = java.util.List.of(seed, seed); }");
        assertEquals(11, run("Counter.bump()"));
        assertEquals(Set.of(variable("base")), readsOfLastCell());
        assertEquals(2, run("Conf.L.size()"));
        assertEquals(Set.of(variable("seed")), readsOfLastCell());
    }

    @Test
    void compoundAssignmentReadsTheVariable() {
        run("int total = 0;");
        run("total = 5;");
        assertFalse(readsOfLastCell().contains(variable("total")));
        run("total += 1;");
        assertEquals(Set.of(variable("total")), readsOfLastCell());
    }

    @Test
    void wrapperNames() {
        assertTrue(VariableReads.isWrapper("REPL.$JShell$12"));
        assertTrue(VariableReads.isWrapper("REPL.$JShell$12B"));
        assertFalse(VariableReads.isWrapper("REPL.$JShell$20$Point"));
        assertFalse(VariableReads.isWrapper("REPL.$JShell$"));
        assertFalse(VariableReads.isWrapper("java.lang.String"));
    }

    @Test
    void unknownClassOrMethodReadsNothing() {
        VariableReads reads = new VariableReads(classes());
        assertTrue(reads.readBy("java.lang.String", "length", null).isEmpty());
        assertTrue(reads.readBy(lastWrapper(), "noSuchMethod", null).isEmpty());
    }

    @Test
    void timing() {
        run("int tScale = 3;\nint tBonus = 2;\nint tf(int x) { return x * tScale; }");
        run("record TP(int a) { int g() { return a * tBonus; } }");
        for (int i = 0; i < 40; i++) {
            run("int filler" + i + "(int x) { return x + " + i + "; }");
        }
        run("IntStream.range(0, 100).parallel().map(i -> tf(i) + new TP(i).g()).sum()");
        String cell = lastWrapper();
        Map<String, byte[]> classes = classes();
        Set<VariableRef> expected = Set.of(variable("tScale"), variable("tBonus"));

        int rounds = 2000;
        List<Long> cold = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            Set<VariableRef> r = new VariableReads(classes).readBy(cell, "do_it$", null);
            cold.add(System.nanoTime() - t0);
            assertEquals(expected, r);
        }
        VariableReads shared = new VariableReads(classes);
        List<Long> warm = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            Set<VariableRef> r = shared.readBy(cell, "do_it$", null);
            warm.add(System.nanoTime() - t0);
            assertEquals(expected, r);
        }
        System.out.printf("VariableReads over %d snippet classes: fresh instance median %.1f us, cached median %.1f us%n",
                classes.size(), median(cold) / 1000.0, median(warm) / 1000.0);
    }

    private static long median(List<Long> xs) {
        List<Long> sorted = new ArrayList<>(xs.subList(xs.size() / 2, xs.size())); // after warm-up
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
