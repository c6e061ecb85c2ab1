package org.jparallel.api;

import java.util.List;

/**
 * A parallel call failed on one or more elements (or, for a single call, failed). {@link #failures()} has
 * each one, in element order; the message shows the first few and counts the rest ({@code … 12 more}).
 */
public class WorkerException extends RuntimeException {

    private static final int SHOWN = 3;

    private final transient List<TaskFailure> failures;

    public WorkerException(List<TaskFailure> failures) {
        this(failures, null);
    }

    /** @param note a last line for the message, saying what became of the results (null for none) */
    public WorkerException(List<TaskFailure> failures, String note) {
        super(describe(failures) + (note == null ? "" : "\n" + note));
        this.failures = List.copyOf(failures);
    }

    /** Every failure, in element order. */
    public List<TaskFailure> failures() {
        return failures;
    }

    private static String describe(List<TaskFailure> failures) {
        StringBuilder s = new StringBuilder();
        s.append(failures.size() == 1 ? failures.get(0).element() < 0 ? "the call failed" : "1 element failed"
                : failures.size() + " elements failed");
        for (int i = 0; i < Math.min(SHOWN, failures.size()); i++) {
            s.append("\n  ").append(failures.get(i).summary());
            for (String frame : failures.get(i).trace()) {
                s.append("\n      at ").append(frame);
            }
        }
        if (failures.size() > SHOWN) {
            s.append("\n  … ").append(failures.size() - SHOWN).append(" more");
        }
        return s.toString();
    }
}
