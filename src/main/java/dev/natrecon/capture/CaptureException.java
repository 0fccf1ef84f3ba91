package dev.natrecon.capture;

import java.io.IOException;

/** An input that cannot be read at all (not a capture, unreadable header). The message is one line naming the file. */
public final class CaptureException extends IOException {
    private static final long serialVersionUID = 1L;

    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
