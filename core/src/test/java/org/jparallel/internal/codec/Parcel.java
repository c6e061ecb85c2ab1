package org.jparallel.internal.codec;

/** A record that {@link ValueCodecTest} also loads in a second class loader, from its class file bytes. */
record Parcel(String label, int weight) {
}
