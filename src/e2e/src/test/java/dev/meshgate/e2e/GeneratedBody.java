package dev.meshgate.e2e;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A large request body generated as it is read, never held in memory, hashed on the way out so the
 * test can compare with what the receiver hashed.
 */
final class GeneratedBody extends InputStream {

    private final long length;
    private final SplittableRandom random;
    private final MessageDigest digest = sha256();
    private long produced;

    GeneratedBody(long length, long seed) {
        this.length = length;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) {
        if (produced >= length) {
            return -1;
        }
        int size = (int) Math.min(count, length - produced);
        for (int i = 0; i < size; i++) {
            buffer[offset + i] = (byte) random.nextInt(256);
        }
        digest.update(buffer, offset, size);
        produced += size;
        return size;
    }

    /** The SHA-256 of everything read so far (call once, after the body was sent). */
    String sha256Hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    long produced() {
        return produced;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of the samples' /download pattern: byte i is i % 251. */
    static String downloadPatternSha256(long length) {
        MessageDigest digest = sha256();
        byte[] block = new byte[251 * 256];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i % 251);
        }
        long remaining = length;
        while (remaining > 0) {
            int size = (int) Math.min(block.length, remaining);
            digest.update(block, 0, size);
            remaining -= size;
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
