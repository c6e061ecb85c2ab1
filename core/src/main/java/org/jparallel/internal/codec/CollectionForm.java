package org.jparallel.internal.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How a collection or map is sent: its tag, and the class the receiver rebuilds.
 *
 * <p>A public JDK class with a public no-argument constructor is kept (ArrayList, HashMap,
 * TreeSet, ConcurrentHashMap, ...); sorted sets, sorted maps and priority queues also send
 * their comparator. Unmodifiable JDK collections come back unmodifiable. Any other
 * implementation falls back to a standard class with the same interface (ArrayList,
 * LinkedHashSet, LinkedHashMap, TreeSet, TreeMap, LinkedList).
 *
 * @param tag     one of the collection and map tags of {@link Tag}
 * @param rebuild the class the receiver instantiates, or null for the unmodifiable tags
 */
record CollectionForm(int tag, Class<?> rebuild) {

    private static final List<String> UNMODIFIABLE_PREFIXES = List.of(
            "java.util.ImmutableCollections$", "java.util.Collections$Unmodifiable", "java.util.Collections$Empty",
            "java.util.Collections$Singleton", "java.util.Collections$CopiesList");

    private static final ClassValue<Constructor<?>> NO_ARGUMENT = new ClassValue<>() {
        @Override
        protected Constructor<?> computeValue(Class<?> type) {
            return publicConstructor(type);
        }
    };

    private static final ClassValue<Constructor<?>> WITH_COMPARATOR = new ClassValue<>() {
        @Override
        protected Constructor<?> computeValue(Class<?> type) {
            return publicConstructor(type, Comparator.class);
        }
    };

    /** The form of a map class. */
    static CollectionForm ofMap(Class<?> type) {
        if (isUnmodifiable(type)) {
            return new CollectionForm(Tag.IMMUTABLE_MAP, null);
        }
        boolean sorted = SortedMap.class.isAssignableFrom(type);
        Class<?> rebuild = isKept(type) ? type : sorted ? TreeMap.class : LinkedHashMap.class;
        return new CollectionForm(sorted ? Tag.SORTED_MAP : Tag.MAP, rebuild);
    }

    /** The form of a collection class. */
    static CollectionForm ofCollection(Class<?> type) {
        if (isUnmodifiable(type)) {
            return new CollectionForm(Set.class.isAssignableFrom(type) ? Tag.IMMUTABLE_SET : Tag.IMMUTABLE_LIST, null);
        }
        boolean sorted = SortedSet.class.isAssignableFrom(type) || PriorityQueue.class.isAssignableFrom(type);
        Class<?> rebuild = isKept(type) ? type : fallback(type);
        return new CollectionForm(sorted ? Tag.SORTED_COLLECTION : Tag.COLLECTION, rebuild);
    }

    private static Class<?> fallback(Class<?> type) {
        if (List.class.isAssignableFrom(type)) {
            return ArrayList.class;
        } else if (SortedSet.class.isAssignableFrom(type)) {
            return TreeSet.class;
        } else if (Set.class.isAssignableFrom(type)) {
            return LinkedHashSet.class;
        } else if (PriorityQueue.class.isAssignableFrom(type)) {
            return PriorityQueue.class;
        } else if (Queue.class.isAssignableFrom(type)) {
            return LinkedList.class;
        }
        return ArrayList.class;
    }

    private static boolean isUnmodifiable(Class<?> type) {
        String name = type.getName();
        return UNMODIFIABLE_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private static boolean isKept(Class<?> type) {
        Module module = type.getModule();
        return Modifier.isPublic(type.getModifiers()) && module.isNamed() && module.isExported(type.getPackageName())
                && NO_ARGUMENT.get(type) != null
                && (!isSorted(type) || WITH_COMPARATOR.get(type) != null);
    }

    private static boolean isSorted(Class<?> type) {
        return SortedSet.class.isAssignableFrom(type) || SortedMap.class.isAssignableFrom(type)
                || PriorityQueue.class.isAssignableFrom(type);
    }

    /** The comparator of a sorted collection or map, null for natural order. */
    static Comparator<?> comparatorOf(Object sorted) {
        if (sorted instanceof SortedSet<?> set) {
            return set.comparator();
        } else if (sorted instanceof SortedMap<?, ?> map) {
            return map.comparator();
        }
        return ((PriorityQueue<?>) sorted).comparator();
    }

    /** A new, empty collection or map of class {@code type}, ordered by {@code comparator} if not null. */
    static Object instantiate(Class<?> type, Comparator<?> comparator) {
        Constructor<?> constructor = comparator == null ? NO_ARGUMENT.get(type) : WITH_COMPARATOR.get(type);
        if (constructor == null) {
            throw new CodecException("cannot decode: " + type.getName() + " has no public "
                    + (comparator == null ? "no-argument" : "Comparator") + " constructor");
        }
        try {
            return comparator == null ? constructor.newInstance() : constructor.newInstance(comparator);
        } catch (ReflectiveOperationException e) {
            throw new CodecException("cannot decode: a new " + type.getName() + " cannot be built: " + e, e);
        }
    }

    private static Constructor<?> publicConstructor(Class<?> type, Class<?>... parameters) {
        try {
            return type.getConstructor(parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
