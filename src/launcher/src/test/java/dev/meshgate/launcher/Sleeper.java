package dev.meshgate.launcher;

import java.util.concurrent.CountDownLatch;

/**
 * A child process for stop tests: waits forever. {@code stubborn} makes its shutdown hook hang, so
 * SIGTERM alone cannot end it; {@code parent} starts another sleeper as its own child first and prints
 * that child's pid.
 */
public final class Sleeper {

    private Sleeper() {
    }

    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            if (arg.equals("stubborn")) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            if (arg.equals("parent")) {
                Process child = new ProcessBuilder(ChildProcesses.javaCommand(Sleeper.class)).inheritIO().start();
                System.out.println("child " + child.pid());
            }
        }
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
