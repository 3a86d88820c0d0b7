package dev.ttscluster.gateway.books;

/**
 * An uploaded book that cannot be read: malformed, over a limit, or unsafe. Its message names the
 * problem and is meant for the client (the API answers 400 or 422 with it); it has no stack trace.
 */
public final class BookFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BookFormatException(String message) {
        super(message, null, false, false);
    }
}
