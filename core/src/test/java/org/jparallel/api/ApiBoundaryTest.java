package org.jparallel.api;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public API names no internal type: over every class of {@code org.jparallel.api} (found by ArchUnit's
 * importer, not listed by hand), no public or protected supertype, field, constructor or method mentions a
 * type of {@code org.jparallel.internal}, in its raw form or inside a generic signature.
 */
class ApiBoundaryTest {

    private static final String INTERNAL = "org.jparallel.internal.";

    @Test
    void noPublicSignatureInTheApiNamesAnInternalType() {
        List<String> leaks = new ArrayList<>();
        int checked = 0;
        for (JavaClass imported : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.jparallel.api")) {
            Class<?> type = imported.reflect();
            if (!type.getPackageName().equals("org.jparallel.api") || !exposed(type.getModifiers())
                    || type.getEnclosingClass() != null && !exposed(type.getEnclosingClass().getModifiers())) {
                continue;
            }
            checked++;
            List<Type> supertypes = new ArrayList<>(List.of(type.getGenericInterfaces()));
            if (type.getGenericSuperclass() != null) {
                supertypes.add(type.getGenericSuperclass());
            }
            supertypes.forEach(t -> check(t, type.getName() + " extends", leaks));
            for (Field f : type.getDeclaredFields()) {
                if (exposed(f.getModifiers())) {
                    check(f.getGenericType(), type.getName() + "." + f.getName(), leaks);
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if (exposed(m.getModifiers()) && !m.isSynthetic()) {
                    checkExecutable(m, m.getGenericReturnType(), type.getName() + "." + m.getName(), leaks);
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (exposed(c.getModifiers())) {
                    checkExecutable(c, null, type.getName() + ".<init>", leaks);
                }
            }
        }
        assertTrue(checked > 40, "only " + checked + " public types found in org.jparallel.api");
        assertEquals(List.of(), leaks);
    }

    private static boolean exposed(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void checkExecutable(Executable e, Type returned, String where, List<String> leaks) {
        if (returned != null) {
            check(returned, where + " returns", leaks);
        }
        for (Type p : e.getGenericParameterTypes()) {
            check(p, where + " takes", leaks);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            check(x, where + " throws", leaks);
        }
        for (TypeVariable<?> v : e.getTypeParameters()) {
            check(v, where + " <" + v.getName() + ">", leaks);
        }
    }

    /** Records {@code where} if {@code t}, or any type inside it, is internal. */
    private static void check(Type t, String where, List<String> leaks) {
        if (t instanceof Class<?> c) {
            Class<?> element = c;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (element.getName().startsWith(INTERNAL)) {
                leaks.add(where + " " + element.getName());
            }
        } else if (t instanceof ParameterizedType p) {
            check(p.getRawType(), where, leaks);
            for (Type argument : p.getActualTypeArguments()) {
                check(argument, where, leaks);
            }
        } else if (t instanceof GenericArrayType a) {
            check(a.getGenericComponentType(), where, leaks);
        } else if (t instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                check(bound, where, leaks);
            }
            for (Type bound : w.getLowerBounds()) {
                check(bound, where, leaks);
            }
        } else if (t instanceof TypeVariable<?> v) {
            for (Type bound : v.getBounds()) {
                if (!(bound instanceof TypeVariable<?>)) { // a variable bounded by another is checked there
                    check(bound, where, leaks);
                }
            }
        }
    }
}
