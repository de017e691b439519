// A program text that does not follow the program grammar.
package io.synod.decomposer.program;

/**
 * Thrown by {@link ProgramParser} when a program or a QS line does not parse. The message names the
 * line number, quotes the line and says what was expected.
 */
public final class ProgramSyntaxException extends Exception {

    private final int lineNumber;
    private final String problem;

    public ProgramSyntaxException(int lineNumber, String problem) {
        super("line " + lineNumber + ": " + problem);
        this.lineNumber = lineNumber;
        this.problem = problem;
    }

    /** The message without its line number: what was expected and what was found. */
    public String problem() {
        return problem;
    }

    /** The 1-based line the error is on. */
    public int lineNumber() {
        return lineNumber;
    }
}
