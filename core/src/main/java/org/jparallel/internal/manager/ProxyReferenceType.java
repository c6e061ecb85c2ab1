package org.jparallel.internal.manager;

import org.jparallel.internal.codec.ReferenceInput;
import org.jparallel.internal.codec.ReferenceType;

import java.io.IOException;

/**
 * How a manager's proxy is sent in a value: tag 24, then its {@link ProxyReference}'s fields; the receiver gets a
 * proxy of the same object on the same server. A service of the codec
 * ({@code META-INF/services/org.jparallel.internal.codec.ReferenceType}).
 */
public final class ProxyReferenceType implements ReferenceType {

    /** The instance proxies name as their type (the codec's service loader makes another: both are stateless). */
    static final ProxyReferenceType INSTANCE = new ProxyReferenceType();

    /** For the service loader. */
    public ProxyReferenceType() {
    }

    @Override
    public int tag() {
        return 24;
    }

    @Override
    public String noun() {
        return "a manager proxy";
    }

    @Override
    public Object open(ReferenceInput in, ClassLoader loader) throws IOException {
        return ProxyReference.readFrom(in).open(loader);
    }
}
