package dev.meshgate.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Fails a test class when Netty reported a leaked buffer while it ran. Registered for every test
 * class through JUnit's extension auto-detection (enabled in the root pom).
 *
 * <p>The detector reports a leak only when it tracks a new allocation after the leaked buffer was
 * collected, so this forces a few collections and allocations before it looks.
 */
public final class FailOnNettyLeaks implements AfterAllCallback {

    private static final int COLLECTION_ROUNDS = 4;

    @Override
    public void afterAll(ExtensionContext context) {
        if (!LeakRecorder.installed()) {
            return;
        }
        for (int round = 0; round < COLLECTION_ROUNDS; round++) {
            System.gc();
            // reference processing is asynchronous: give the reference handler a moment to enqueue
            LockSupport.parkNanos(20_000_000L);
            touchDetector();
        }
        List<String> leaks = LeakRecorder.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) reported while "
                    + context.getDisplayName() + " ran:\n" + String.join("\n\n", leaks));
        }
    }

    private static void touchDetector() {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(8);
        pooled.release();
        ByteBuf heap = PooledByteBufAllocator.DEFAULT.heapBuffer(8);
        heap.release();
        ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.directBuffer(8);
        unpooled.release();
    }
}
