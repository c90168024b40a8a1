package dev.meshgate.samples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;

/**
 * The deterministic bytes {@code /download} and {@code /bytes} send: the byte at offset {@code i} is
 * {@code i % 251}. A prime period never lines up with buffer sizes, so a reordered, dropped or
 * repeated chunk changes the checksum.
 */
public final class BytePattern {

    public static final int PERIOD = 251;
    static final int CHUNK_SIZE = 64 * 1024;
    private static final byte[] PATTERN = new byte[CHUNK_SIZE + PERIOD];

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = (byte) (i % PERIOD);
        }
    }

    private BytePattern() {
    }

    public static byte at(long offset) {
        return (byte) (offset % PERIOD);
    }

    /** {@code length} bytes of the pattern, generated chunk by chunk as the receiver asks for them. */
    static Flux<ByteBuf> stream(long length) {
        return Flux.generate(() -> 0L, (offset, sink) -> {
            if (offset >= length) {
                sink.complete();
                return offset;
            }
            int size = (int) Math.min(CHUNK_SIZE, length - offset);
            // wraps the shared array: no copy and nothing to release on the pooled allocator
            sink.next(Unpooled.wrappedBuffer(PATTERN, (int) (offset % PERIOD), size));
            return offset + size;
        });
    }

    static byte[] array(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = at(i);
        }
        return bytes;
    }
}
