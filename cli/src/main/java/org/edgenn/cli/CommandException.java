package org.edgenn.cli;

/** Stops a command with a message for the user and an exit code ({@link EdgeNN#USAGE}, {@link EdgeNN#INPUT_ERRORS}). */
final class CommandException extends Exception {
    private final int exit;

    CommandException(int exit, String message) {
        super(message);
        this.exit = exit;
    }

    int exit() {
        return exit;
    }
}
