package org.jparallel.internal.codec;

/**
 * Type tags of the value encoding. A tagged value is a Smile array {@code [tag, payload...]};
 * null, booleans, Integer, Float, Double, String, BigInteger and BigDecimal are written as plain
 * Smile scalars without a tag. {@code docs/wire-protocol.md} ("Values") describes each payload.
 * Tags {@link #PRIMITIVE_ARRAY} to {@link #LAMBDA} are objects with identity: each one, in encounter order,
 * gets the next object number, which {@link #REF} refers to.
 */
final class Tag {

    /** {@code [0, objectNumber]}: the object already read with that number. */
    static final int REF = 0;
    /** {@code [1, value]}: a Long (Smile shortens small longs to ints, so longs need a tag). */
    static final int LONG = 1;
    /** {@code [2, value]}: a Byte. */
    static final int BYTE = 2;
    /** {@code [3, value]}: a Short. */
    static final int SHORT = 3;
    /** {@code [4, code]}: a Character. */
    static final int CHAR = 4;
    /** {@code [5, class, constantName]}: an enum constant. */
    static final int ENUM = 5;
    /** {@code [6, class]}: a Class object. */
    static final int CLASS = 6;

    /** {@code [7, descriptor, bytes]}: a primitive array as big-endian binary. */
    static final int PRIMITIVE_ARRAY = 7;
    /** {@code [8, componentClass, length, elements...]}: an object array. */
    static final int OBJECT_ARRAY = 8;
    /** {@code [9, class, elements...]}: a collection rebuilt as {@code class}. */
    static final int COLLECTION = 9;
    /** {@code [10, class, key, value, key, value...]}: a map rebuilt as {@code class}. */
    static final int MAP = 10;
    /** {@code [11, class, comparator, elements...]}: a sorted collection or priority queue. */
    static final int SORTED_COLLECTION = 11;
    /** {@code [12, class, comparator, key, value...]}: a sorted map. */
    static final int SORTED_MAP = 12;
    /** {@code [13, elements...]}: an unmodifiable list (also other unmodifiable collections). */
    static final int IMMUTABLE_LIST = 13;
    /** {@code [14, elements...]}: an unmodifiable set. */
    static final int IMMUTABLE_SET = 14;
    /** {@code [15, key, value...]}: an unmodifiable map. */
    static final int IMMUTABLE_MAP = 15;
    /** {@code [16]} or {@code [16, value]}: an empty or present Optional. */
    static final int OPTIONAL = 16;
    /** {@code [17, key, value]}: a Map.Entry, rebuilt immutable. */
    static final int ENTRY = 17;
    /** {@code [18, bytes]}: a JDK value in Java serialization form. */
    static final int SERIALIZED = 18;
    /** {@code [19, class, {component: value...}]}: a record. */
    static final int RECORD = 19;
    /** {@code [20, class, {field: value...}]}: a plain class, by its fields. */
    static final int OBJECT = 20;
    /** {@code [21, capturingClass, 8 SerializedLambda strings and ints, captured...]}: a serializable lambda. */
    static final int LAMBDA = 21;
    /** {@code [22, values...]}: a batch of values, the whole of what {@code encodeAll} writes. */
    static final int BATCH = 22;
    /*
     * Tags 23 to 31 are values sent by reference (SentByReference), each owned by the ReferenceType with that
     * tag: 23 a shared-memory object, 24 a manager's proxy (docs/wire-protocol.md). Not numbered: the receiver
     * keeps one object per reference, or its objects for one reference are interchangeable.
     */

    private Tag() {
    }
}
