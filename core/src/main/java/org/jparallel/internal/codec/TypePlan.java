package org.jparallel.internal.codec;

/**
 * What the writer does with every instance of one class, decided once per class by {@link Classifier}.
 *
 * @param kind       how instances are written
 * @param refusal    why instances cannot be sent, for {@link Kind#REFUSED}
 * @param record     the record's shape, for {@link Kind#RECORD}
 * @param fields     the class's fields, for {@link Kind#OBJECT}
 * @param collection the collection's or map's form, for {@link Kind#COLLECTION} and {@link Kind#MAP}
 */
record TypePlan(Kind kind, Refusal refusal, RecordShape record, FieldShape fields, CollectionForm collection) {

    /** How instances of a class are written. */
    enum Kind {
        ENUM, CLASS, PRIMITIVE_ARRAY, OBJECT_ARRAY, COLLECTION, MAP, OPTIONAL, ENTRY, SERIALIZED, RECORD, OBJECT,
        LAMBDA, REFERENCE, REFUSED
    }

    static TypePlan of(Kind kind) {
        return new TypePlan(kind, null, null, null, null);
    }

    static TypePlan refused(Refusal refusal) {
        return new TypePlan(Kind.REFUSED, refusal, null, null, null);
    }

    static TypePlan record(RecordShape shape) {
        return new TypePlan(Kind.RECORD, null, shape, null, null);
    }

    static TypePlan object(FieldShape shape) {
        return new TypePlan(Kind.OBJECT, null, null, shape, null);
    }

    static TypePlan collection(Kind kind, CollectionForm form) {
        return new TypePlan(kind, null, null, null, form);
    }
}
