package dev.meshgate.bench.profile;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Collapsed stacks as async-profiler writes them, read into shares. */
class CpuProfileTest {

    private static final String LOOP = "java/lang/Thread.run;io/netty/channel/SingleThreadIoEventLoop.run;";

    @Test
    void sharesOfKernelJitGcOwnCodeAndTheSystemCallsThatTookTheMost() {
        List<String> stacks = List.of(
                LOOP + "dev/meshgate/node/proxy/DownstreamHandler.take;io/netty/channel/unix/FileDescriptor.writevAddresses;"
                        + "writev;entry_SYSCALL_64_after_hwframe_[k];do_syscall_64_[k];tcp_sendmsg_[k] 40",
                LOOP + "io/netty/channel/unix/Socket.recvAddress;recv;entry_SYSCALL_64_after_hwframe_[k];tcp_recvmsg_[k] 10",
                LOOP + "dev/meshgate/node/proxy/DownstreamHandler.take;asm_sysvec_apic_timer_interrupt_[k];"
                        + "irqentry_exit_[k] 5",
                LOOP + "io/netty/buffer/PoolArena.allocate 20",
                LOOP + "dev/meshgate/node/proxy/ForwardingHeaders.append 10",
                "start_thread;thread_native_entry;Thread::call_run;VMThread::run;VM_GenCollectForAllocation::doit 6",
                "start_thread;thread_native_entry;Thread::call_run;JavaThread::run;CompileBroker::compiler_thread_loop;"
                        + "C2Compiler::compile_method 9",
                "not a stack line",
                "");

        CpuProfile profile = CpuProfile.parse("node (inbound)", stacks, "node.html");

        assertThat(profile.samples()).isEqualTo(100);
        assertThat(profile.kernelShare()).isCloseTo(0.55, within(1e-9));
        assertThat(profile.jitShare()).isCloseTo(0.09, within(1e-9));
        assertThat(profile.gcAndVmShare()).isCloseTo(0.06, within(1e-9));
        assertThat(profile.projectCodeShare()).isCloseTo(0.10, within(1e-9));
        assertThat(profile.systemCalls()).containsExactly(
                new CpuProfile.FrameShare("writev", 0.40),
                new CpuProfile.FrameShare("recv", 0.10),
                new CpuProfile.FrameShare("interrupts, faults and scheduling", 0.05));
        assertThat(profile.hottestFrames()).startsWith(
                new CpuProfile.FrameShare("io.netty.buffer.PoolArena.allocate", 0.20),
                new CpuProfile.FrameShare("dev.meshgate.node.proxy.ForwardingHeaders.append", 0.10),
                new CpuProfile.FrameShare("C2Compiler::compile_method", 0.09));
        assertThat(profile.flameGraph()).isEqualTo("node.html");
    }

    @Test
    void aProfileWithoutKernelFramesSaysTheKernelWasNotSeenRatherThanZero() {
        CpuProfile profile = CpuProfile.parse("gateway", List.of(LOOP + "io/netty/buffer/PoolArena.allocate 3"), "g.html");

        assertThat(profile.kernelShare()).isNaN();
        assertThat(profile.systemCalls()).isEmpty();
        assertThat(profile.hottestFrames()).containsExactly(new CpuProfile.FrameShare("io.netty.buffer.PoolArena.allocate", 1.0));
    }

    @Test
    void onlyTheMostCostlyFramesAreListed() {
        List<String> stacks = new java.util.ArrayList<>();
        for (int i = 0; i < CpuProfile.LISTED + 5; i++) {
            stacks.add(LOOP + "a/B.m" + i + " " + (i + 1));
        }

        CpuProfile profile = CpuProfile.parse("p", stacks, "p.html");

        assertThat(profile.hottestFrames()).hasSize(CpuProfile.LISTED);
        assertThat(profile.hottestFrames().get(0).frame()).isEqualTo("a.B.m" + (CpuProfile.LISTED + 4));
    }

    @Test
    void anEmptyProfileHasNoSamplesAndNoShares() {
        CpuProfile profile = CpuProfile.parse("p", List.of(), "p.html");

        assertThat(profile.samples()).isZero();
        assertThat(profile.jitShare()).isNaN();
        assertThat(profile.hottestFrames()).isEmpty();
    }
}
