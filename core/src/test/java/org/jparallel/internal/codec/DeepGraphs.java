package org.jparallel.internal.codec;

import java.util.HashSet;
import java.util.Set;

/**
 * Deep object graphs for tests, shared by the codec's tests and the pool's (worker JVMs load them too):
 * plain linked lists of any length and a set whose element's hash recurses through a long chain.
 */
public final class DeepGraphs {

    private DeepGraphs() {
    }

    /** A plain linked list node, as a user's notebook class would be. */
    public static final class Node {
        public int value;
        public Node next;
        public Object payload;
    }

    /** Hashes through its whole chain, as a naive user hashCode does: rebuilding a set of them recurses. */
    public static final class Hashed {
        Hashed inner;

        @Override
        public int hashCode() {
            return inner == null ? 1 : 31 * inner.hashCode();
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }
    }

    /** Nodes holding 0, 1, ... {@code length - 1}, in order. */
    public static Node chain(int length) {
        Node head = null;
        for (int i = length - 1; i >= 0; i--) {
            Node node = new Node();
            node.value = i;
            node.next = head;
            head = node;
        }
        return head;
    }

    /** The last node of a chain. */
    public static Node tail(Node head) {
        Node node = head;
        while (node.next != null) {
            node = node.next;
        }
        return node;
    }

    /** The chain's length, after checking that it holds 0, 1, 2, ... in order. */
    public static int length(Object head) {
        int n = 0;
        for (Node node = (Node) head; node != null; node = node.next) {
            if (node.value != n++) {
                throw new IllegalStateException("node " + (n - 1) + " holds " + node.value);
            }
        }
        return n;
    }

    /**
     * A set holding one element whose hash, computed again by a receiver that rebuilds the set, recurses
     * {@code depth} levels (the sender hashed it before it grew).
     */
    public static Set<Hashed> setOfDeepHash(int depth) {
        Hashed key = new Hashed();
        Set<Hashed> set = new HashSet<>(Set.of(key));
        Hashed inner = key;
        for (int i = 0; i < depth; i++) {
            inner.inner = new Hashed();
            inner = inner.inner;
        }
        return set;
    }
}
