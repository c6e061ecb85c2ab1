package org.jparallel.internal.codec;

import java.io.Serializable;
import java.util.function.Function;

/** A functional interface that extends Serializable, as notebooks declare them. */
interface SerialFunction<A, B> extends Function<A, B>, Serializable {
}
