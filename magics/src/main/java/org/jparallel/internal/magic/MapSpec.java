package org.jparallel.internal.magic;

/**
 * What {@code --map ELEMENT:VARIABLE} names: the body's element variable and the notebook variable it
 * maps over, both Java variable names (Unicode letters included, keywords not).
 */
record MapSpec(String element, String variable) {

    /** The {@code --map} option of {@code args}; a usage error when it is not two names around a colon. */
    static MapSpec of(MagicArgs args) {
        String spec = args.value("--map");
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw args.error("--map needs ELEMENT:VARIABLE, such as x:xs, not " + spec);
        }
        MapSpec parsed = new MapSpec(spec.substring(0, colon), spec.substring(colon + 1));
        args.checkVariableName("--map's element (before the colon)", parsed.element());
        args.checkVariableName("--map's variable (after the colon)", parsed.variable());
        return parsed;
    }
}
