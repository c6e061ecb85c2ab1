package org.jparallel.internal.codec;

import java.io.Serializable;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, once per class, how its instances are sent ({@link TypePlan}), in this order:
 * objects sent by reference ({@link SentByReference}: shared memory, manager proxies); enums, Class,
 * arrays; the {@link DenyList}; lambdas; Optional; maps and collections; JDK map entries; other JDK
 * classes (Java serialization if Serializable, else refused); records; plain classes by their fields.
 */
final class Classifier {

    private static final List<String> PLATFORM_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    private static final ClassValue<TypePlan> PLANS = new ClassValue<>() {
        @Override
        protected TypePlan computeValue(Class<?> type) {
            return classify(type);
        }
    };

    private Classifier() {
    }

    /** How instances of {@code type} are sent. */
    static TypePlan plan(Class<?> type) {
        return PLANS.get(type);
    }

    /** Whether {@code type} belongs to the JDK or to a named module, whose internals the codec leaves alone. */
    static boolean isPlatform(Class<?> type) {
        if (type.getModule().isNamed()) {
            return true;
        }
        String name = type.getName();
        return PLATFORM_PACKAGES.stream().anyMatch(name::startsWith);
    }

    private static TypePlan classify(Class<?> type) {
        if (SentByReference.class.isAssignableFrom(type)) {
            return TypePlan.of(TypePlan.Kind.REFERENCE);
        } else if (Enum.class.isAssignableFrom(type)) {
            return TypePlan.of(TypePlan.Kind.ENUM);
        } else if (type == Class.class) {
            return TypePlan.of(TypePlan.Kind.CLASS);
        } else if (type.isArray()) {
            return TypePlan.of(type.getComponentType().isPrimitive()
                    ? TypePlan.Kind.PRIMITIVE_ARRAY : TypePlan.Kind.OBJECT_ARRAY);
        }
        Refusal denied = DenyList.refusalFor(type);
        if (denied != null) {
            return TypePlan.refused(denied);
        }
        boolean serializable = Serializable.class.isAssignableFrom(type);
        if (ClassNames.isLambda(type)) {
            if (!serializable) {
                return TypePlan.refused(Refusal.nonSerializableLambda());
            }
            return TypePlan.of(isPlatform(type) ? TypePlan.Kind.SERIALIZED : TypePlan.Kind.LAMBDA);
        } else if (type.isHidden()) {
            return TypePlan.refused(Refusal.hiddenClass());
        } else if (type == Optional.class) {
            return TypePlan.of(TypePlan.Kind.OPTIONAL);
        } else if (EnumSet.class.isAssignableFrom(type)) {
            return TypePlan.of(TypePlan.Kind.SERIALIZED); // holds only enum constants; no public no-argument form
        } else if (Map.class.isAssignableFrom(type)) {
            return TypePlan.collection(TypePlan.Kind.MAP, CollectionForm.ofMap(type));
        } else if (Collection.class.isAssignableFrom(type)) {
            return TypePlan.collection(TypePlan.Kind.COLLECTION, CollectionForm.ofCollection(type));
        } else if (isPlatform(type)) {
            if (Map.Entry.class.isAssignableFrom(type)) {
                return TypePlan.of(TypePlan.Kind.ENTRY);
            }
            return serializable ? TypePlan.of(TypePlan.Kind.SERIALIZED) : TypePlan.refused(Refusal.notSerializablePlatformClass());
        } else if (type.isRecord()) {
            return TypePlan.record(new RecordShape(type));
        }
        Class<?> platformSuperclass = FieldShape.statefulPlatformSuperclass(type);
        if (platformSuperclass != null) {
            return serializable ? TypePlan.of(TypePlan.Kind.SERIALIZED) : TypePlan.refused(Refusal.platformSuperclass(platformSuperclass));
        }
        return TypePlan.object(new FieldShape(type));
    }
}
