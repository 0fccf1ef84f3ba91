package dev.natrecon.capture;

import java.io.IOException;
import java.io.InputStream;

/**
 * An {@link InputStream} whose only reading logic is its block {@link #read(byte[], int, int)}: the single-byte
 * {@link #read()} goes through it (into one reused byte), so a wrapper that checks or bounds what it passes on
 * states that once and cannot disagree with itself between the two read calls.
 */
abstract class BlockReadStream extends InputStream {
    private final byte[] one = new byte[1];

    @Override
    public final int read() throws IOException {
        int r = read(one, 0, 1);
        return r < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
