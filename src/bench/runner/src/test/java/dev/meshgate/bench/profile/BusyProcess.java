package dev.meshgate.bench.profile;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The process {@link AsyncProfilerIT} profiles: says "ready", waits for "go" on its input, then spends
 * about a second of CPU in {@link #spin} and in writes to /dev/null (kernel time), and says "done".
 */
public final class BusyProcess {

    private BusyProcess() {
    }

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("ready");
        System.out.flush();
        if (!"go".equals(in.readLine())) {
            return;
        }
        long sink = 0;
        long end = System.nanoTime() + 1_000_000_000L;
        try (FileOutputStream devNull = new FileOutputStream("/dev/null")) {
            while (System.nanoTime() < end) {
                sink += spin(sink);
                devNull.write((int) sink);
            }
        }
        System.out.println("done " + (sink & 1));
        System.out.flush();
        in.readLine();
    }

    static long spin(long seed) {
        long x = seed | 1;
        for (int i = 0; i < 20_000; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }
}
