package dev.meshgate.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

class LeakRecorderTest {

    @Test
    void leakDetectionRunsAtParanoidLevelInTests() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
        assertThat(LeakRecorder.installed()).isTrue();
    }

    @Test
    void aBufferDroppedWithoutReleaseIsRecorded() {
        leakOneBuffer();
        List<String> leaks = List.of();
        for (int round = 0; round < 20 && leaks.isEmpty(); round++) {
            System.gc();
            LockSupport.parkNanos(20_000_000L);
            PooledByteBufAllocator.DEFAULT.directBuffer(8).release();
            leaks = LeakRecorder.drain();
        }
        assertThat(leaks).isNotEmpty();
        assertThat(leaks.get(0)).contains("LEAK: ByteBuf").contains("leakOneBuffer");
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeLong(42L);
        leaked.touch("leakOneBuffer");
    }
}
